package io.curvefs.tool.localcluster;

import io.curvefs.proto.topology.ListTopologyRequest;
import io.curvefs.proto.topology.ListTopologyResponse;
import io.curvefs.proto.topology.MetaServerInfo;
import io.curvefs.proto.topology.OnlineState;
import io.curvefs.proto.topology.TopologyServiceGrpc;
import io.curvefs.rpc.Channels;
import io.curvefs.rpc.HostPort;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Questions asked of one process of a local cluster, each answered at once (no waiting): is
 * it listening, is etcd healthy, is this MDS the leader (a standby refuses every call with
 * UNAVAILABLE and says so), which metaservers does the leader see online.
 */
final class Probes {

    /** Generous: the first call of a fresh JVM loads gRPC and netty, seconds on a loaded machine. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    enum MdsRole {
        LEADER, STANDBY, NO_ANSWER;

        String label() {
            return name().toLowerCase().replace('_', ' ');
        }
    }

    private Probes() {
    }

    static boolean listening(String address) {
        HostPort hostPort = HostPort.parse(address);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(hostPort.host(), hostPort.port()), 500);
            return true;
        } catch (IOException notListening) {
            return false;
        }
    }

    static boolean etcdHealthy(String address) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://" + address + "/health"))
                .timeout(CALL_TIMEOUT).build();
        try {
            HttpResponse<String> answer = http.send(health, HttpResponse.BodyHandlers.ofString());
            return answer.statusCode() == 200 && answer.body().contains("\"true\"");
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static MdsRole mdsRole(String address) {
        ManagedChannel channel = Channels.open(HostPort.parse(address));
        try {
            TopologyServiceGrpc.newBlockingStub(channel).withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .listTopology(ListTopologyRequest.getDefaultInstance());
            return MdsRole.LEADER;
        } catch (StatusRuntimeException e) {
            String description = e.getStatus().getDescription();
            return e.getStatus().getCode() == Status.Code.UNAVAILABLE && description != null
                    && description.contains("standby") ? MdsRole.STANDBY : MdsRole.NO_ANSWER;
        } finally {
            Channels.close(channel);
        }
    }

    /** Whether some MDS in {@code mdsAddresses} lists a metaserver at {@code address} as online. */
    static boolean metaserverOnline(Collection<String> mdsAddresses, String address) {
        for (String mds : mdsAddresses) {
            Optional<ListTopologyResponse> topology = topology(mds);
            if (topology.isPresent()) {
                for (MetaServerInfo m : topology.get().getMetaserversList()) {
                    if ((m.getInternalIp() + ":" + m.getInternalPort()).equals(address)
                            && m.getOnlineState() == OnlineState.ONLINE) {
                        return true;
                    }
                }
                return false;
            }
        }
        return false;
    }

    /** The topology as the MDS at {@code address} sees it; empty unless it is the leader and answers. */
    private static Optional<ListTopologyResponse> topology(String address) {
        ManagedChannel channel = Channels.open(HostPort.parse(address));
        try {
            return Optional.of(TopologyServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .listTopology(ListTopologyRequest.getDefaultInstance()));
        } catch (StatusRuntimeException e) {
            return Optional.empty();
        } finally {
            Channels.close(channel);
        }
    }
}
