package io.curvefs.client.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Random writes, truncates, flushes, invalidations, remounts and reads, applied both to the data
 * store and to a byte array; every read must match. Small blocks, chunks and buffer bound make
 * block and chunk boundaries and pressure flushes frequent. Seeds are fixed, so a failure repeats.
 */
class DifferentialTest {

    private static final FsLayout LAYOUT = new FsLayout(1, 4096, 16384);
    private static final DataConfig CONFIG = new DataConfig(16 << 10, 1024, 3, 3, 4);
    private static final int MAX_LENGTH = 5 * 16384;
    private static final long[] INODES = {10, 11};

    private final ExecutorService completions = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() {
        completions.shutdownNow();
    }

    @Test
    void matchesAByteArrayModel() {
        for (long seed = 1; seed <= 25; seed++) {
            run(seed, 300);
        }
    }

    private void run(long seed, int steps) {
        Random random = new Random(seed);
        MemoryObjectStore objects = new MemoryObjectStore(completions);
        MemoryChunkInfoStore chunkInfos = new MemoryChunkInfoStore();
        CountingChunkIdAllocator ids = new CountingChunkIdAllocator();
        byte[][] model = new byte[INODES.length][MAX_LENGTH];
        long[] lengths = new long[INODES.length];
        ObjectDataStore store = new ObjectDataStore(LAYOUT, objects, chunkInfos, ids, CONFIG);
        try {
            for (int step = 0; step < steps; step++) {
                int which = random.nextInt(INODES.length);
                long inode = INODES[which];
                byte[] bytes = model[which];
                String where = "seed " + seed + " step " + step;
                int op = random.nextInt(100);
                if (op < 40) {
                    int offset = random.nextInt(MAX_LENGTH);
                    int length = 1 + random.nextInt(Math.min(MAX_LENGTH - offset, random.nextBoolean() ? 300 : 20000));
                    byte[] data = new byte[length];
                    random.nextBytes(data);
                    store.write(inode, offset, ByteBuffer.wrap(data));
                    System.arraycopy(data, 0, bytes, offset, length);
                    lengths[which] = Math.max(lengths[which], offset + length);
                } else if (op < 65) {
                    int offset = random.nextInt((int) lengths[which] + 2000);
                    int length = random.nextInt(20000);
                    checkRead(store, inode, lengths[which], bytes, offset, length, where);
                } else if (op < 75) {
                    store.flush(inode);
                } else if (op < 87) {
                    int newLength = random.nextInt(MAX_LENGTH + 1);
                    store.truncate(inode, lengths[which], newLength);
                    if (newLength < lengths[which]) {
                        Arrays.fill(bytes, newLength, (int) lengths[which], (byte) 0);
                    }
                    lengths[which] = newLength;
                } else if (op < 95) {
                    store.invalidate(inode);
                } else {
                    for (long each : INODES) {
                        store.flush(each);
                    }
                    store.close();
                    store = new ObjectDataStore(LAYOUT, objects, chunkInfos, ids, CONFIG);
                }
            }
            for (int which = 0; which < INODES.length; which++) {
                checkRead(store, INODES[which], lengths[which], model[which], 0, MAX_LENGTH, "seed " + seed + " end");
            }
        } finally {
            store.close();
        }
    }

    private static void checkRead(DataStore store, long inode, long fileLength, byte[] model,
                                  int offset, int length, String where) {
        ByteBuffer dst = ByteBuffer.allocate(length);
        int n = store.read(inode, fileLength, offset, dst);
        int expected = (int) Math.max(0, Math.min(offset + (long) length, fileLength) - offset);
        assertThat(n).as("%s: bytes read of [%d, +%d) with length %d", where, offset, length, fileLength)
                .isEqualTo(expected);
        assertThat(Arrays.copyOf(dst.array(), n)).as("%s: bytes of [%d, +%d)", where, offset, length)
                .isEqualTo(expected == 0 ? new byte[0] : Arrays.copyOfRange(model, offset, offset + expected));
    }
}
