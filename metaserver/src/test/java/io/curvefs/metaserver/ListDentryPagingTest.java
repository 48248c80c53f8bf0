package io.curvefs.metaserver;

import static io.curvefs.metaserver.MetaServerFixture.COPYSET;
import static io.curvefs.metaserver.MetaServerFixture.FS;
import static io.curvefs.metaserver.MetaServerFixture.POOL;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import io.curvefs.proto.copyset.COPYSET_OP_STATUS;
import io.curvefs.proto.metaserver.CreateDentryRequest;
import io.curvefs.proto.metaserver.CreateDentryResponse;
import io.curvefs.proto.metaserver.Dentry;
import io.curvefs.proto.metaserver.FsFileType;
import io.curvefs.proto.metaserver.ListDentryRequest;
import io.curvefs.proto.metaserver.ListDentryResponse;
import io.curvefs.proto.metaserver.MetaServerServiceGrpc;
import io.curvefs.proto.metaserver.MetaStatusCode;
import io.curvefs.rpc.Channels;
import io.grpc.ManagedChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ListDentry paging over 10,000 names through gRPC: byte order, strictly after `last`, at most `count`. */
class ListDentryPagingTest {

    private static final int ENTRIES = 10_000;
    private static final long DIR = 1;

    @TempDir
    Path dir;

    @Test
    void pagesThroughTenThousandEntriesInByteOrder() throws Exception {
        try (FakeMds mds = new FakeMds(); MetaServerFixture f = new MetaServerFixture(dir, mds)) {
            assertThat(f.createCopyset()).isEqualTo(COPYSET_OP_STATUS.COPYSET_OP_STATUS_SUCCESS);
            f.awaitLeader();
            assertThat(f.createPartition(1, 0, 1 << 20)).isEqualTo(MetaStatusCode.OK);

            List<String> names = new ArrayList<>();
            for (int i = 0; i < ENTRIES; i++) {
                names.add((i % 7 == 0 ? "Z" : i % 3 == 0 ? "é" : "f") + Integer.toString(i * 7919, 36));
            }
            createAll(f, names);
            assertThat(f.partition(1).getDentryNum()).isEqualTo(ENTRIES);

            List<String> expected = names.stream()
                    .sorted((a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
                            b.getBytes(StandardCharsets.UTF_8)))
                    .toList();
            List<String> listed = new ArrayList<>();
            String last = null;
            int pages = 0;
            while (true) {
                ListDentryRequest.Builder r = ListDentryRequest.newBuilder().setPoolId(POOL).setCopysetId(COPYSET)
                        .setPartitionId(1).setFsId(FS).setDirInodeId(DIR).setCount(999);
                if (last != null) {
                    r.setLast(last);
                }
                ListDentryResponse page = f.meta.listDentry(r.build());
                assertThat(page.getStatusCode()).isEqualTo(MetaStatusCode.OK);
                assertThat(page.getDentrysCount()).isLessThanOrEqualTo(999);
                if (page.getDentrysCount() == 0) {
                    break;
                }
                page.getDentrysList().forEach(d -> listed.add(d.getName()));
                last = page.getDentrys(page.getDentrysCount() - 1).getName();
                pages++;
            }
            assertThat(pages).isEqualTo((ENTRIES + 998) / 999);
            assertThat(listed).containsExactlyElementsOf(expected);
        }
    }

    /** Many requests in flight, so the Raft group batches them. */
    private static void createAll(MetaServerFixture f, List<String> names) throws Exception {
        ManagedChannel channel = Channels.open(f.server.address());
        try {
            MetaServerServiceGrpc.MetaServerServiceFutureStub stub = MetaServerServiceGrpc.newFutureStub(channel);
            int window = 256;
            for (int from = 0; from < names.size(); from += window) {
                List<ListenableFuture<CreateDentryResponse>> inFlight = new ArrayList<>();
                for (int i = from; i < Math.min(names.size(), from + window); i++) {
                    inFlight.add(stub.createDentry(CreateDentryRequest.newBuilder().setPoolId(POOL)
                            .setCopysetId(COPYSET).setPartitionId(1)
                            .setDentry(Dentry.newBuilder().setFsId(FS).setParentInodeId(DIR).setName(names.get(i))
                                    .setInodeId(100 + i).setType(FsFileType.TYPE_S3))
                            .build()));
                }
                for (ListenableFuture<CreateDentryResponse> response : inFlight) {
                    assertThat(response.get().getStatusCode()).isEqualTo(MetaStatusCode.OK);
                }
            }
        } finally {
            Channels.close(channel);
        }
    }
}
