package io.curvefs.client.vfs;

/** Space and inode numbers of the whole file system, for statfs. */
public record FsStats(long blockSize, long capacityBytes, long usedBytes, long totalInodes, long usedInodes) {
}
