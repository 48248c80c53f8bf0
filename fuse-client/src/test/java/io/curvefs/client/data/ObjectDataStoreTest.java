package io.curvefs.client.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.curvefs.objectstore.ObjectInfo;
import io.curvefs.objectstore.ObjectStoreException;
import io.curvefs.proto.metaserver.S3ChunkInfo;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ObjectDataStoreTest {

    static final FsLayout LAYOUT = new FsLayout(7, 4096, 16384);
    static final DataConfig SMALL = new DataConfig(64 << 10, 1024, 4, 4, 100);
    static final long INODE = 5;

    private final MemoryObjectStore objects = new MemoryObjectStore();
    private final MemoryChunkInfoStore chunkInfos = new MemoryChunkInfoStore();
    private final CountingChunkIdAllocator chunkIds = new CountingChunkIdAllocator();
    private final ObjectDataStore store = mount(objects);

    @AfterEach
    void close() {
        store.close();
    }

    private ObjectDataStore mount(MemoryObjectStore backend) {
        return new ObjectDataStore(LAYOUT, backend, chunkInfos, chunkIds, SMALL);
    }

    static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    static byte[] read(DataStore store, long inode, long fileLength, long offset, int length) {
        ByteBuffer dst = ByteBuffer.allocate(length);
        int n = store.read(inode, fileLength, offset, dst);
        return Arrays.copyOf(dst.array(), n);
    }

    @Test
    void aFlushedRangeBecomesOneChunkInfoAndUnpaddedBlockObjects() {
        store.write(INODE, 5000, ByteBuffer.wrap(filled(10000, 1)));
        store.flush(INODE);

        assertThat(chunkInfos.all(INODE)).containsExactly(S3ChunkInfo.newBuilder()
                .setChunkId(1).setCompaction(0).setOffset(5000).setLen(10000).setSize(10000).setZero(false).build());
        assertThat(objects.list("7_5_")).containsExactly(
                new ObjectInfo("7_5_1_1_0", 8192 - 5000),
                new ObjectInfo("7_5_1_2_0", 4096),
                new ObjectInfo("7_5_1_3_0", 15000 - 12288));
        assertThat(read(store, INODE, 15000, 0, 15000))
                .isEqualTo(concat(new byte[5000], filled(10000, 1)));
    }

    @Test
    void aFlushWithARecorderHandsItTheChunkInfosInsteadOfAppendingThem() {
        List<Map<Long, List<S3ChunkInfo>>> recorded = new ArrayList<>();
        store.flush(INODE, recorded::add);
        assertThat(recorded).as("nothing buffered: the recorder still runs").containsExactly(Map.of());

        store.write(INODE, 0, ByteBuffer.wrap(filled(3000, 4)));
        assertThatThrownBy(() -> store.flush(INODE, added -> {
            throw new IllegalStateException("metaserver down");
        })).hasMessageContaining("metaserver down");
        store.flush(INODE, added -> {
            recorded.add(added);
            chunkInfos.append(INODE, added);
        });

        assertThat(recorded.get(1).get(0L)).singleElement()
                .satisfies(info -> assertThat(info.getLen()).isEqualTo(3000));
        assertThat(chunkInfos.appends).as("only what the recorder appended").isEqualTo(1);
        assertThat(read(store, INODE, 3000, 0, 3000)).isEqualTo(filled(3000, 4));
    }

    @Test
    void deletingWithTheChunkListsTheMetadataHandedBackReadsNothing() {
        store.write(INODE, 0, ByteBuffer.wrap(filled(10000, 5)));
        store.flush(INODE);
        Map<Long, List<S3ChunkInfo>> chunks = chunkInfos.load(INODE);
        int loads = chunkInfos.loads;

        store.delete(INODE, chunks);
        assertThat(objects.list("7_5_")).isEmpty();
        assertThat(chunkInfos.loads).isEqualTo(loads);
    }

    @Test
    void aWriteAcrossAChunkBoundaryBecomesOneChunkInfoPerChunk() {
        store.write(INODE, 15000, ByteBuffer.wrap(filled(5000, 2)));
        store.flush(INODE);

        assertThat(chunkInfos.load(INODE)).containsOnlyKeys(0L, 1L);
        assertThat(chunkInfos.load(INODE).get(0L)).singleElement()
                .satisfies(info -> assertThat(info.getOffset()).isEqualTo(15000))
                .satisfies(info -> assertThat(info.getLen()).isEqualTo(16384 - 15000));
        assertThat(chunkInfos.load(INODE).get(1L)).singleElement()
                .satisfies(info -> assertThat(info.getOffset()).isEqualTo(16384))
                .satisfies(info -> assertThat(info.getLen()).isEqualTo(20000 - 16384));
        assertThat(objects.list("7_5_").stream().map(ObjectInfo::key))
                .containsExactly("7_5_1_3_0", "7_5_2_0_0");
        assertThat(chunkInfos.appends).isEqualTo(1);
    }

    @Test
    void newerWritesWinOverOlderFlushedData() {
        store.write(INODE, 0, ByteBuffer.wrap(filled(12000, 1)));
        store.flush(INODE);
        store.write(INODE, 3000, ByteBuffer.wrap(filled(2000, 2)));
        store.flush(INODE);
        store.write(INODE, 4000, ByteBuffer.wrap(filled(100, 3)));

        byte[] expected = filled(12000, 1);
        Arrays.fill(expected, 3000, 5000, (byte) 2);
        Arrays.fill(expected, 4000, 4100, (byte) 3);
        assertThat(read(store, INODE, 12000, 0, 12000)).isEqualTo(expected);
        store.flush(INODE);
        assertThat(read(store, INODE, 12000, 0, 12000)).isEqualTo(expected);
        try (ObjectDataStore other = mount(objects)) {
            assertThat(read(other, INODE, 12000, 0, 12000)).isEqualTo(expected);
        }
    }

    @Test
    void deleteRemovesEveryObjectOfTheInodeAndDropsItsBuffer() {
        store.write(INODE, 0, ByteBuffer.wrap(filled(20000, 1)));
        store.flush(INODE);
        store.truncate(INODE, 20000, 100);
        store.write(INODE, 50, ByteBuffer.wrap(filled(5000, 2)));
        store.flush(INODE);
        store.write(INODE, 0, ByteBuffer.wrap(filled(10, 3)));
        store.write(INODE + 1, 0, ByteBuffer.wrap(filled(10, 4)));
        store.flush(INODE + 1);
        assertThat(objects.list("7_5_")).hasSizeGreaterThan(5);

        store.delete(INODE, chunkInfos.load(INODE));

        assertThat(objects.list("7_5_")).isEmpty();
        assertThat(objects.list("7_6_")).hasSize(1);
        assertThat(store.bufferedBytes()).isZero();
    }

    @Test
    void readsStopAtTheFileLength() {
        store.write(INODE, 0, ByteBuffer.wrap(filled(100, 1)));
        assertThat(read(store, INODE, 60, 50, 100)).isEqualTo(filled(10, 1));
        assertThat(read(store, INODE, 60, 60, 100)).isEmpty();
        assertThat(read(store, INODE, 200, 150, 100)).isEqualTo(new byte[50]);
    }

    @Test
    void shrinkThenExtendReadsZerosInTheGap() {
        store.write(INODE, 0, ByteBuffer.wrap(filled(40000, 0x11)));
        store.flush(INODE);
        store.truncate(INODE, 40000, 10000);
        store.truncate(INODE, 10000, 40000);

        byte[] expected = concat(filled(10000, 0x11), new byte[30000]);
        assertThat(read(store, INODE, 40000, 0, 40000)).isEqualTo(expected);
        try (ObjectDataStore other = mount(objects)) {
            assertThat(read(other, INODE, 40000, 0, 40000)).isEqualTo(expected);
        }
        List<S3ChunkInfo> infos = chunkInfos.all(INODE);
        assertThat(infos).filteredOn(S3ChunkInfo::getZero).hasSize(3);
        assertThat(infos.stream().map(S3ChunkInfo::getChunkId).distinct()).hasSameSizeAs(infos);
    }

    @Test
    void shrinkDropsBufferedBytesAndExtendingByAWriteLeavesZeros() {
        store.write(INODE, 0, ByteBuffer.wrap(filled(20000, 1)));
        store.flush(INODE);
        store.write(INODE, 20000, ByteBuffer.wrap(filled(5000, 2)));
        store.truncate(INODE, 25000, 8000);
        store.write(INODE, 30000, ByteBuffer.wrap(filled(1000, 3)));
        store.flush(INODE);

        byte[] expected = concat(filled(8000, 1), new byte[22000], filled(1000, 3));
        assertThat(read(store, INODE, 31000, 0, 31000)).isEqualTo(expected);
        store.invalidate(INODE);
        assertThat(read(store, INODE, 31000, 0, 31000)).isEqualTo(expected);
    }

    @Test
    void repeatedShrinksAddNoMoreZeroEntries() {
        store.write(INODE, 0, ByteBuffer.wrap(filled(1000, 1)));
        store.flush(INODE);
        store.truncate(INODE, 1000, 500);
        store.truncate(INODE, 500, 1000);
        store.truncate(INODE, 1000, 500);
        assertThat(chunkInfos.all(INODE)).filteredOn(S3ChunkInfo::getZero).hasSize(1);
    }

    @Test
    void aSecondMountSeesFlushedDataAfterInvalidate() {
        try (ObjectDataStore second = mount(objects)) {
            store.write(INODE, 0, ByteBuffer.wrap(filled(9000, 1)));
            store.flush(INODE);
            assertThat(read(second, INODE, 9000, 0, 9000)).isEqualTo(filled(9000, 1));

            store.write(INODE, 1000, ByteBuffer.wrap(filled(1000, 2)));
            store.flush(INODE);
            second.invalidate(INODE);

            byte[] expected = filled(9000, 1);
            Arrays.fill(expected, 1000, 2000, (byte) 2);
            assertThat(read(second, INODE, 9000, 0, 9000)).isEqualTo(expected);
        }
    }

    @Test
    void aFailedUploadKeepsTheBytesAndAppendsNothing() {
        MemoryObjectStore failing = new MemoryObjectStore() {
            volatile boolean fail = true;

            @Override
            public CompletableFuture<Void> put(String key, byte[] data) {
                if (fail) {
                    fail = false;
                    return CompletableFuture.failedFuture(new ObjectStoreException("injected failure"));
                }
                return super.put(key, data);
            }
        };
        try (ObjectDataStore flaky = mount(failing)) {
            flaky.write(INODE, 0, ByteBuffer.wrap(filled(9000, 1)));
            assertThatThrownBy(() -> flaky.flush(INODE))
                    .isInstanceOf(ObjectStoreException.class)
                    .hasMessageContaining("flush of inode 5")
                    .hasMessageContaining("injected failure");
            assertThat(chunkInfos.appends).isZero();
            flaky.write(INODE, 100, ByteBuffer.wrap(filled(10, 2)));

            byte[] expected = filled(9000, 1);
            Arrays.fill(expected, 100, 110, (byte) 2);
            assertThat(read(flaky, INODE, 9000, 0, 9000)).isEqualTo(expected);
            assertThat(flaky.bufferedBytes()).isEqualTo(9 * 1024);
            flaky.flush(INODE);
            assertThat(flaky.bufferedBytes()).isZero();
            try (ObjectDataStore other = mount(failing)) {
                assertThat(read(other, INODE, 9000, 0, 9000)).isEqualTo(expected);
            }
        }
    }

    @Test
    void aMissingObjectFailsTheReadWithOneClearLine() {
        chunkInfos.append(INODE, Map.of(0L, List.of(S3ChunkInfo.newBuilder()
                .setChunkId(99).setCompaction(0).setOffset(0).setLen(10).setSize(10).setZero(false).build())));
        assertThatThrownBy(() -> read(store, INODE, 10, 0, 10))
                .isInstanceOf(ObjectStoreException.class)
                .hasMessageContaining("read of inode 5 from memory failed")
                .hasMessageContaining("7_5_99_0_0");
    }

    @Test
    void closedStoreRefusesWork() {
        store.write(INODE, 0, ByteBuffer.wrap(filled(10, 1)));
        store.close();
        assertThat(store.bufferedBytes()).isZero();
        assertThatThrownBy(() -> store.flush(INODE)).isInstanceOf(IllegalStateException.class);
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int position = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, position, part.length);
            position += part.length;
        }
        return out;
    }
}
