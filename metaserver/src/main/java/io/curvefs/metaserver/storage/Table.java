package io.curvefs.metaserver.storage;

/** The column families of a copyset's RocksDB; each holds one kind of record of all its partitions. */
public enum Table {
    /** Copyset bookkeeping: the applied Raft index, each partition's pending rename, recent nlink requests. */
    META("default"),
    PARTITION("partition"),
    INODE("inode"),
    S3_CHUNK("s3chunk"),
    DENTRY("dentry");

    private final String columnFamily;

    Table(String columnFamily) {
        this.columnFamily = columnFamily;
    }

    String columnFamily() {
        return columnFamily;
    }
}
