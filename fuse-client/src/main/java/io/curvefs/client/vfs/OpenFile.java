package io.curvefs.client.vfs;

/**
 * What this mount knows about one open inode beyond the metaserver: its length including
 * buffered writes, and whether length and times still have to be written back on flush.
 * Guarded by its own monitor.
 */
final class OpenFile {
    final long ino;
    int handles;
    volatile long length;
    long persistedLength;
    boolean dirty;
    long mtime;
    long ctime;
    boolean unlinked;

    OpenFile(long ino, long length) {
        this.ino = ino;
        this.length = length;
        this.persistedLength = length;
    }
}
