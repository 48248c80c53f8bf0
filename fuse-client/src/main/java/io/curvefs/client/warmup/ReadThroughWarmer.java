package io.curvefs.client.warmup;

import io.curvefs.client.data.DataStore;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * Warms a file by reading all of it through the ordinary read path and dropping the bytes: every
 * block is fetched once and whatever caches the data path keeps are filled as for any read.
 */
public final class ReadThroughWarmer implements BlockWarmer {

    private static final int PIECE = 1 << 20;

    private final DataStore data;

    public ReadThroughWarmer(DataStore data) {
        this.data = data;
    }

    @Override
    public CompletableFuture<Long> warm(long ino, long length) {
        ByteBuffer piece = ByteBuffer.allocate(PIECE);
        long pieces = 0;
        for (long offset = 0; offset < length; offset += PIECE) {
            piece.clear();
            if (data.read(ino, length, offset, piece) <= 0) {
                break;
            }
            pieces++;
        }
        return CompletableFuture.completedFuture(pieces);
    }
}
