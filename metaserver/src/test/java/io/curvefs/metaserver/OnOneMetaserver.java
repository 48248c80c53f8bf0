package io.curvefs.metaserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.curvefs.proto.copyset.COPYSET_OP_STATUS;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests of one class share a real metaserver with one copyset, its leader elected, and a fake
 * MDS; each test owns the partitions it creates.
 */
abstract class OnOneMetaserver {

    @TempDir
    static Path dir;
    static FakeMds mds;
    static MetaServerFixture f;

    @BeforeAll
    static void startServer() throws Exception {
        mds = new FakeMds();
        f = new MetaServerFixture(dir, mds);
        assertThat(f.createCopyset()).isEqualTo(COPYSET_OP_STATUS.COPYSET_OP_STATUS_SUCCESS);
        f.awaitLeader();
    }

    @AfterAll
    static void stopServer() {
        if (f != null) {
            f.close();
        }
        if (mds != null) {
            mds.close();
        }
    }
}
