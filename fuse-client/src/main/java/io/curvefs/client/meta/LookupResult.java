package io.curvefs.client.meta;

/** A dentry found by a lookup, with its inode's attributes when they came in the same answer (else null). */
public record LookupResult(DirEntry entry, Attr attr) {
}
