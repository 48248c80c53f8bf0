package io.curvefs.metaserver;

import static io.curvefs.metaserver.MetaServerFixture.COPYSET;
import static io.curvefs.metaserver.MetaServerFixture.FS;
import static io.curvefs.metaserver.MetaServerFixture.POOL;
import static org.assertj.core.api.Assertions.assertThat;

import io.curvefs.proto.copyset.COPYSET_OP_STATUS;
import io.curvefs.proto.metaserver.CreateInodeRequest;
import io.curvefs.proto.metaserver.Dentry;
import io.curvefs.proto.metaserver.FsFileType;
import io.curvefs.proto.metaserver.GetDentryRequest;
import io.curvefs.proto.metaserver.GetDentryResponse;
import io.curvefs.proto.metaserver.MetaStatusCode;
import io.curvefs.proto.metaserver.PrepareRenameTxRequest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests of one class share a real metaserver with one copyset, its leader elected, and a fake
 * MDS; each test owns the partitions it creates. The requests most of them send are here.
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

    /** A new inode of {@code type} under {@code parent}; its id. */
    static long newInode(int partition, FsFileType type, long parent) {
        return f.meta.createInode(CreateInodeRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET)
                .setPartitionId(partition).setFsId(FS).setLength(0).setUid(0).setGid(0)
                .setMode(type == FsFileType.TYPE_DIRECTORY ? 040755 : 0100644).setType(type).setParent(parent)
                .build()).getInode().getInodeId();
    }

    static GetDentryResponse getDentry(int partition, long parent, String name) {
        return f.meta.getDentry(GetDentryRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET)
                .setPartitionId(partition).setFsId(FS).setParentInodeId(parent).setName(name).build());
    }

    static PrepareRenameTxRequest pendingTx(int partition) {
        return f.node().queryNow(q -> q.pendingTx(partition));
    }

    static MetaStatusCode prepare(int partition, Dentry... dentries) {
        return f.meta.prepareRenameTx(PrepareRenameTxRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET)
                .setPartitionId(partition).addAllDentrys(List.of(dentries)).build()).getStatusCode();
    }
}
