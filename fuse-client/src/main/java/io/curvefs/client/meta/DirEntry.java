package io.curvefs.client.meta;

/** One name in a directory: the child's inode id and kind. */
public record DirEntry(String name, long ino, InodeType type) {
}
