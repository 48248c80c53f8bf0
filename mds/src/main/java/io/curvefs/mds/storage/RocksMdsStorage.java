package io.curvefs.mds.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * {@link MdsStorage} in an embedded RocksDB, for a single MDS without etcd. Every write is
 * synced to the WAL before returning (the MDS writes rarely, so the fsync cost is small and
 * a kill -9 never loses an acknowledged change).
 */
public final class RocksMdsStorage implements MdsStorage {

    static {
        RocksDB.loadLibrary();
    }

    private final Options options;
    private final WriteOptions syncWrites;
    private final RocksDB db;

    private RocksMdsStorage(Options options, RocksDB db) {
        this.options = options;
        this.db = db;
        this.syncWrites = new WriteOptions().setSync(true);
    }

    public static RocksMdsStorage open(Path directory) {
        Options options = new Options().setCreateIfMissing(true);
        try {
            Files.createDirectories(directory);
            return new RocksMdsStorage(options, RocksDB.open(options, directory.toString()));
        } catch (IOException | RocksDBException e) {
            options.close();
            throw new StorageException("cannot open MDS storage at " + directory + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<byte[]> get(byte[] key) {
        try {
            return Optional.ofNullable(db.get(key));
        } catch (RocksDBException e) {
            throw failed("get", e);
        }
    }

    @Override
    public void put(byte[] key, byte[] value) {
        try {
            db.put(syncWrites, key, value);
        } catch (RocksDBException e) {
            throw failed("put", e);
        }
    }

    @Override
    public void delete(byte[] key) {
        try {
            db.delete(syncWrites, key);
        } catch (RocksDBException e) {
            throw failed("delete", e);
        }
    }

    @Override
    public List<KeyValue> scan(byte[] prefix) {
        List<KeyValue> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator()) {
            for (it.seek(prefix); it.isValid(); it.next()) {
                byte[] key = it.key();
                if (!startsWith(key, prefix)) {
                    break;
                }
                out.add(new KeyValue(key, it.value()));
            }
            it.status();
        } catch (RocksDBException e) {
            throw failed("scan", e);
        }
        return out;
    }

    @Override
    public void write(List<Mutation> mutations) {
        try (WriteBatch batch = new WriteBatch()) {
            for (Mutation m : mutations) {
                if (m instanceof Mutation.Put put) {
                    batch.put(put.key(), put.value());
                } else {
                    batch.delete(m.key());
                }
            }
            db.write(syncWrites, batch);
        } catch (RocksDBException e) {
            throw failed("write", e);
        }
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length
                && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static StorageException failed(String op, RocksDBException e) {
        return new StorageException("MDS storage " + op + " failed: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        syncWrites.close();
        db.close();
        options.close();
    }
}
