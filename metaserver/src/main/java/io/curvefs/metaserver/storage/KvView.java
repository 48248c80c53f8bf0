package io.curvefs.metaserver.storage;

/** Read access to a copyset's tables, either the committed database or a batch over it. */
public interface KvView {

    /** The value stored under the key, or null. */
    byte[] get(Table table, byte[] key);

    /**
     * Visits, in byte order, the entries whose key starts with {@code prefix} and is not below
     * {@code from} (null: from the start of the prefix), until the visitor answers false.
     */
    void scan(Table table, byte[] prefix, byte[] from, EntryVisitor visitor);

    @FunctionalInterface
    interface EntryVisitor {
        boolean visit(byte[] key, byte[] value);
    }
}
