package io.curvefs.metaserver.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.curvefs.proto.copyset.CopysetServiceGrpc;
import io.curvefs.proto.metaserver.MetaServerServiceGrpc;
import org.junit.jupiter.api.Test;

/** Which calls the metaserver runs on its network thread (see {@link GrpcServices}). */
class CallThreadsTest {

    @Test
    void pointRequestsRunOnTheNetworkThreadScansAndAdminCallsDoNot() {
        assertThat(MetaServerServiceImpl.runsOnNetworkThread(MetaServerServiceGrpc.getGetDentryMethod())).isTrue();
        assertThat(MetaServerServiceImpl.runsOnNetworkThread(MetaServerServiceGrpc.getCreateInodeMethod())).isTrue();
        assertThat(MetaServerServiceImpl.runsOnNetworkThread(MetaServerServiceGrpc.getUpdateInodeMethod())).isTrue();
        assertThat(MetaServerServiceImpl.runsOnNetworkThread(MetaServerServiceGrpc.getListDentryMethod())).isFalse();
        assertThat(MetaServerServiceImpl.runsOnNetworkThread(MetaServerServiceGrpc.getCreatePartitionMethod()))
                .isFalse();
        assertThat(MetaServerServiceImpl.runsOnNetworkThread(CopysetServiceGrpc.getCreateCopysetNodeMethod()))
                .isFalse();
    }
}
