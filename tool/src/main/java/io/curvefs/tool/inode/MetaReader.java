package io.curvefs.tool.inode;

import io.curvefs.proto.cli2.CliService2Grpc;
import io.curvefs.proto.cli2.GetLeaderRequest2;
import io.curvefs.proto.common.PartitionInfo;
import io.curvefs.proto.common.Peer;
import io.curvefs.proto.mds.FsInfo;
import io.curvefs.proto.metaserver.Dentry;
import io.curvefs.proto.metaserver.GetDentryRequest;
import io.curvefs.proto.metaserver.GetDentryResponse;
import io.curvefs.proto.metaserver.GetInodeRequest;
import io.curvefs.proto.metaserver.GetInodeResponse;
import io.curvefs.proto.metaserver.Inode;
import io.curvefs.proto.metaserver.MetaServerServiceGrpc;
import io.curvefs.proto.metaserver.MetaStatusCode;
import io.curvefs.proto.topology.Copyset;
import io.curvefs.proto.topology.GetCopysetOfPartitionRequest;
import io.curvefs.rpc.Channels;
import io.curvefs.rpc.HostPort;
import io.curvefs.rpc.MdsClient;
import io.curvefs.tool.ToolFailure;
import io.curvefs.tool.fs.FsQueries;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Reads inodes and dentries of one file system straight from the metaservers, the way a client
 * routes: the partition holding the inode id (from the MDS), its copyset's members, the leader
 * through CliService2 on any member, then MetaServerService on the leader. Read-only and
 * one-shot (no retry on a leader change): a tool for looking, not a client.
 */
final class MetaReader implements AutoCloseable {

    private static final long DEADLINE_SECONDS = 10;

    private final FsInfo fs;
    private final List<PartitionInfo> partitions;
    private final Map<Integer, Copyset> copysets;
    private final Map<String, ManagedChannel> channels = new HashMap<>();

    MetaReader(MdsClient mds, FsInfo fs) {
        this.fs = fs;
        this.partitions = FsQueries.partitions(mds, fs);
        this.copysets = mds.topology(stub -> stub.getCopysetOfPartition(GetCopysetOfPartitionRequest.newBuilder()
                .addAllPartitionId(partitions.stream().map(PartitionInfo::getPartitionId).toList())
                .build())).getCopysetMapMap();
    }

    PartitionInfo partitionOf(long ino) {
        return partitions.stream().filter(p -> p.getStart() <= ino && ino <= p.getEnd()).findFirst()
                .orElseThrow(() -> new ToolFailure("inode " + ino + " is in no partition of '" + fs.getFsName() + "'"));
    }

    Inode inode(long ino) {
        PartitionInfo p = partitionOf(ino);
        GetInodeResponse r = leader(p).getInode(GetInodeRequest.newBuilder()
                .setPoolId(p.getPoolId()).setCopysetId(p.getCopysetId()).setPartitionId(p.getPartitionId())
                .setFsId(fs.getFsId()).setInodeId(ino).setSupportStreaming(false).build());
        if (r.getStatusCode() == MetaStatusCode.NOT_FOUND) {
            throw new ToolFailure("no inode " + ino + " in file system '" + fs.getFsName() + "'");
        }
        if (r.getStatusCode() != MetaStatusCode.OK) {
            throw new ToolFailure("GetInode " + ino + " answered " + r.getStatusCode());
        }
        return r.getInode();
    }

    /** The entry {@code name} of directory {@code parent}, or null when there is none. */
    Dentry dentry(long parent, String name) {
        PartitionInfo p = partitionOf(parent);
        GetDentryResponse r = leader(p).getDentry(GetDentryRequest.newBuilder()
                .setPoolId(p.getPoolId()).setCopysetId(p.getCopysetId()).setPartitionId(p.getPartitionId())
                .setFsId(fs.getFsId()).setParentInodeId(parent).setName(name).build());
        if (r.getStatusCode() == MetaStatusCode.NOT_FOUND) {
            return null;
        }
        if (r.getStatusCode() != MetaStatusCode.OK) {
            throw new ToolFailure("GetDentry " + name + " in " + parent + " answered " + r.getStatusCode());
        }
        return r.getDentry();
    }

    private MetaServerServiceGrpc.MetaServerServiceBlockingStub leader(PartitionInfo p) {
        Copyset copyset = copysets.get(p.getPartitionId());
        if (copyset == null || copyset.getPeersCount() == 0) {
            throw new ToolFailure("the MDS knows no copyset of partition " + p.getPartitionId());
        }
        StatusRuntimeException last = null;
        for (Peer member : copyset.getPeersList()) {
            try {
                Peer leader = CliService2Grpc.newBlockingStub(channel(member.getAddress()))
                        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                        .getLeader(GetLeaderRequest2.newBuilder().setPoolId(copyset.getPoolId())
                                .setCopysetId(copyset.getCopysetId()).build()).getLeader();
                return MetaServerServiceGrpc.newBlockingStub(channel(leader.getAddress()))
                        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
            } catch (StatusRuntimeException e) {
                last = e;
            }
        }
        throw new ToolFailure("no leader for copyset " + copyset.getPoolId() + "." + copyset.getCopysetId()
                + ": " + last.getStatus().getCode());
    }

    /** Peers are written "ip:port:index"; the service is on ip:port. */
    private ManagedChannel channel(String peerAddress) {
        String[] parts = peerAddress.split(":");
        if (parts.length < 2) {
            throw new ToolFailure("bad peer address '" + peerAddress + "'");
        }
        return channels.computeIfAbsent(parts[0] + ":" + parts[1], a -> Channels.open(HostPort.parse(a)));
    }

    @Override
    public void close() {
        channels.values().forEach(Channels::close);
    }
}
