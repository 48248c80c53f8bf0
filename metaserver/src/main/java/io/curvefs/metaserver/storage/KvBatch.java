package io.curvefs.metaserver.storage;

import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatchWithIndex;

/**
 * The writes of one Raft apply round. It is indexed so that every read through it sees the
 * database plus the writes made earlier in the same round: the entries of a round are applied
 * one after the other yet reach RocksDB in a single atomic WriteBatch.
 */
public final class KvBatch implements KvView, AutoCloseable {

    private final MetaStore.Db db;
    private final WriteBatchWithIndex batch = new WriteBatchWithIndex(true);

    KvBatch(MetaStore.Db db) {
        this.db = db;
    }

    @Override
    public byte[] get(Table table, byte[] key) {
        try {
            return batch.getFromBatchAndDB(db.rocks(), db.handle(table), db.readOptions(), key);
        } catch (RocksDBException e) {
            throw new StorageException("read of " + table + " failed", e);
        }
    }

    @Override
    public void scan(Table table, byte[] prefix, byte[] from, EntryVisitor visitor) {
        RocksIterator base = db.rocks().newIterator(db.handle(table));
        try (RocksIterator it = batch.newIteratorWithBase(db.handle(table), base)) {
            MetaStore.scan(it, prefix, from, visitor);
        }
    }

    public void put(Table table, byte[] key, byte[] value) {
        try {
            batch.put(db.handle(table), key, value);
        } catch (RocksDBException e) {
            throw new StorageException("write to " + table + " failed", e);
        }
    }

    public void delete(Table table, byte[] key) {
        try {
            batch.delete(db.handle(table), key);
        } catch (RocksDBException e) {
            throw new StorageException("delete in " + table + " failed", e);
        }
    }

    WriteBatchWithIndex writeBatch() {
        return batch;
    }

    @Override
    public void close() {
        batch.close();
    }
}
