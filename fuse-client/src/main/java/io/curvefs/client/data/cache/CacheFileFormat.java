package io.curvefs.client.data.cache;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The layout of one disk cache file: the object's bytes, then a CRC32C for each 64 KiB piece of
 * them, then the data length and a magic number.
 *
 * <p><b>Why a checksum per piece.</b> A torn or corrupted file (power loss, disk error) must show
 * as a mismatch and be fetched again instead of being served as data, and a 4 KiB random read
 * must be answered from the cache without reading and checksumming the whole 4 MiB object: with
 * one checksum per piece, a ranged read reads and verifies only the pieces it touches.
 */
final class CacheFileFormat {

    static final int PIECE = 64 << 10;
    private static final int MAGIC = 0x43564632;
    private static final int TAIL = 8;

    private CacheFileFormat() {
    }

    /** Bytes a cache file of {@code dataLength} bytes of data takes. */
    static long storedSize(long dataLength) {
        return dataLength + 4 * pieces(dataLength) + TAIL;
    }

    private static long pieces(long dataLength) {
        return (dataLength + PIECE - 1) / PIECE;
    }

    /** Writes the data and its trailer from the channel's current position. */
    static void write(FileChannel out, byte[] data) throws IOException {
        int pieces = (int) pieces(data.length);
        ByteBuffer trailer = ByteBuffer.allocate(4 * pieces + TAIL);
        CRC32C crc = new CRC32C();
        for (int p = 0; p < pieces; p++) {
            crc.reset();
            crc.update(data, p * PIECE, Math.min(PIECE, data.length - p * PIECE));
            trailer.putInt((int) crc.getValue());
        }
        trailer.putInt(data.length).putInt(MAGIC).flip();
        ByteBuffer body = ByteBuffer.wrap(data);
        while (body.hasRemaining()) {
            out.write(body);
        }
        while (trailer.hasRemaining()) {
            out.write(trailer);
        }
    }

    /** The data of a whole cache file's bytes, or null when the file is torn or damaged. */
    static byte[] unwrap(byte[] stored) {
        int length = dataLength(stored.length, ByteBuffer.wrap(stored, Math.max(0, stored.length - TAIL),
                Math.min(TAIL, stored.length)));
        if (length < 0) {
            return null;
        }
        ByteBuffer crcs = ByteBuffer.wrap(stored, length, stored.length - TAIL - length);
        if (!verify(stored, 0, length, 0, (int) pieces(length) - 1, crcs)) {
            return null;
        }
        return Arrays.copyOf(stored, length);
    }

    /**
     * {@code length} bytes at {@code offset} of the data, reading and verifying only the pieces
     * they touch; null when the file is torn or a touched piece is damaged.
     *
     * @throws IllegalArgumentException when the range is empty or lies beyond the data
     */
    static byte[] readRange(FileChannel in, int offset, int length) throws IOException {
        long size = in.size();
        if (size < TAIL) {
            return null;
        }
        ByteBuffer tail = ByteBuffer.allocate(TAIL);
        readFully(in, tail, size - TAIL);
        int dataLength = dataLength(size, tail.flip());
        if (dataLength < 0) {
            return null;
        }
        if (offset < 0 || length <= 0 || (long) offset + length > dataLength) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " of a cached object of "
                    + dataLength + " bytes");
        }
        int first = offset / PIECE;
        int last = (offset + length - 1) / PIECE;
        int from = first * PIECE;
        int to = (int) Math.min(dataLength, (long) (last + 1) * PIECE);
        ByteBuffer body = ByteBuffer.allocate(to - from);
        readFully(in, body, from);
        ByteBuffer crcs = ByteBuffer.allocate(4 * (last - first + 1));
        readFully(in, crcs, dataLength + 4L * first);
        if (!verify(body.array(), from, dataLength, first, last, crcs.flip())) {
            return null;
        }
        return Arrays.copyOfRange(body.array(), offset - from, offset - from + length);
    }

    /** The data length the tail states, or -1 when the tail is not ours or disagrees with the size. */
    private static int dataLength(long fileSize, ByteBuffer tail) {
        if (fileSize < TAIL) {
            return -1;
        }
        int length = tail.getInt();
        if (tail.getInt() != MAGIC || length < 0 || storedSize(length) != fileSize) {
            return -1;
        }
        return length;
    }

    /**
     * Checks pieces {@code first..last}; {@code bytes} holds the data from offset {@code base} on,
     * {@code crcs} their checksums in order.
     */
    private static boolean verify(byte[] bytes, int base, int dataLength, int first, int last, ByteBuffer crcs) {
        CRC32C crc = new CRC32C();
        for (int p = first; p <= last; p++) {
            int start = p * PIECE;
            int end = Math.min(dataLength, start + PIECE);
            crc.reset();
            crc.update(bytes, start - base, end - start);
            if ((int) crc.getValue() != crcs.getInt()) {
                return false;
            }
        }
        return true;
    }

    private static void readFully(FileChannel in, ByteBuffer into, long position) throws IOException {
        while (into.hasRemaining()) {
            int n = in.read(into, position + into.position());
            if (n < 0) {
                throw new EOFException("cache file ends early");
            }
        }
    }
}
