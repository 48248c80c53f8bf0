package io.curvefs.mds.storage;

/** One stored entry as returned by a prefix scan. */
public record KeyValue(byte[] key, byte[] value) {
}
