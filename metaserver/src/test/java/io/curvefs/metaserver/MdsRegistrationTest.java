package io.curvefs.metaserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.curvefs.proto.copyset.COPYSET_OP_STATUS;
import io.curvefs.rpc.HostPort;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A metaserver works before the MDS is up, registers once it appears, and keeps that identity. */
class MdsRegistrationTest {

    @TempDir
    Path dir;

    @Test
    void registersWhenTheMdsAppearsAndKeepsItsIdentityAcrossRestarts() throws Exception {
        int mdsPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            mdsPort = probe.getLocalPort();
        }
        try (MetaServerFixture f = new MetaServerFixture(dir, new HostPort("127.0.0.1", mdsPort))) {
            assertThat(f.createCopyset()).isEqualTo(COPYSET_OP_STATUS.COPYSET_OP_STATUS_SUCCESS);
            f.awaitLeader();
            assertThat(f.server.metaServerId()).isEmpty();

            try (FakeMds mds = new FakeMds(mdsPort)) {
                MetaServerFixture.await(() -> f.server.metaServerId().isPresent(), "registration");
                assertThat(Files.readString(dir.resolve("metaserver.id"))).contains("id=7", "token=token-7");
                MetaServerFixture.await(() -> !mds.heartbeats.isEmpty(), "a heartbeat");

                f.restart();
                assertThat(f.server.metaServerId()).contains(7);
                int beats = mds.heartbeats.size();
                MetaServerFixture.await(() -> mds.heartbeats.size() > beats, "a heartbeat after restart");
                assertThat(mds.registrations).hasSize(1);
            }
        }
    }
}
