package io.curvefs.client.vfs;

/** One entry of a directory listing: its name, inode and file type (the S_IFMT bits). */
public record DirListing(String name, long ino, int typeBits) {
}
