package io.curvefs.metaserver.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.stream.Stream;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/**
 * The RocksDB instance of one copyset: every partition of the copyset lives in it, one column
 * family per kind of record ({@link Table}). The Raft state machine is its only writer, through
 * {@link KvBatch}es; the applied Raft index is written in the same batch as the records, so the
 * database always says exactly which log entries it contains.
 *
 * <p>Writes are not fsynced: the Raft log (synced) is the durable record, and after a crash the
 * entries beyond the stored applied index are simply applied again. A snapshot is a RocksDB
 * checkpoint; loading one swaps the whole database, which is why readers take a shared lock.
 *
 * <p>Many point reads look for keys that are not there: the pending rename of the partition on
 * every dentry request, the name a create or a negative lookup asks for. Bloom filters on the
 * table files answer those without searching each file (in a profile of the metaserver under
 * creates and stats the pending-rename read went from 6.5% to 2.6% of its CPU). The memtable
 * gets none: RocksDB allocates a memtable's filter whole when the memtable is made (a tenth of
 * the 64 MiB write buffer for every column family of every copyset).
 */
public final class MetaStore implements AutoCloseable {

    private static final byte[] APPLIED_INDEX_KEY = "applied_index".getBytes(StandardCharsets.US_ASCII);

    static {
        RocksDB.loadLibrary();
    }

    private final Path dir;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private Db db;
    private boolean closed;

    private MetaStore(Path dir) {
        this.dir = dir;
        this.db = Db.open(dir);
    }

    public static MetaStore open(Path dir) {
        return new MetaStore(dir);
    }

    /** Runs a reader against the committed data. */
    public <T> T read(Function<KvView, T> reader) {
        lock.readLock().lock();
        try {
            ensureOpen();
            return reader.apply(db.view());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** A new batch over the current database; only the state machine thread uses batches. */
    public KvBatch newBatch() {
        return new KvBatch(db);
    }

    /** Records the Raft index the batch brings the database to. */
    public static void setAppliedIndex(KvBatch batch, long index) {
        batch.put(Table.META, APPLIED_INDEX_KEY, ByteBuffer.allocate(8).putLong(index).array());
    }

    public void commit(KvBatch batch) {
        lock.readLock().lock();
        try {
            ensureOpen();
            db.rocks().write(db.writeOptions, batch.writeBatch());
        } catch (RocksDBException e) {
            throw new StorageException("commit of a batch failed", e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The last Raft index whose effects are in the database; 0 for a new one. */
    public long appliedIndex() {
        byte[] value = read(view -> view.get(Table.META, APPLIED_INDEX_KEY));
        return value == null ? 0 : ByteBuffer.wrap(value).getLong();
    }

    /** Writes a consistent copy of the database into {@code target}, which must not exist. */
    public void checkpoint(Path target) {
        lock.readLock().lock();
        try {
            ensureOpen();
            try (Checkpoint checkpoint = Checkpoint.create(db.rocks())) {
                checkpoint.createCheckpoint(target.toString());
            }
        } catch (RocksDBException e) {
            throw new StorageException("checkpoint into " + target + " failed", e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Replaces the whole database by a copy of the given files (a checkpoint's). */
    public void replaceWith(List<Path> checkpointFiles) {
        lock.writeLock().lock();
        try {
            ensureOpen();
            db.close();
            deleteTree(dir);
            Files.createDirectories(dir);
            for (Path file : checkpointFiles) {
                Files.copy(file, dir.resolve(file.getFileName().toString()));
            }
            db = Db.open(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace the database in " + dir, e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                db.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** RocksDB handles must never be used once closed (native memory), so every use checks. */
    private void ensureOpen() {
        if (closed) {
            throw new StorageException("the metadata store in " + dir + " is closed", null);
        }
    }

    static void scan(RocksIterator it, byte[] prefix, byte[] from, KvView.EntryVisitor visitor) {
        it.seek(from == null ? prefix : from);
        while (it.isValid()) {
            byte[] key = it.key();
            if (!hasPrefix(key, prefix) || !visitor.visit(key, it.value())) {
                return;
            }
            it.next();
        }
    }

    private static boolean hasPrefix(byte[] key, byte[] prefix) {
        return key.length >= prefix.length
                && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** One open RocksDB with its column family handles. */
    static final class Db {
        /** About 1% false positives. */
        private static final double BLOOM_BITS_PER_KEY = 10;
        /** RocksDB's own default when no table options are given, shared by the column families. */
        private static final long BLOCK_CACHE_BYTES = 32L << 20;

        private final RocksDB rocks;
        private final DBOptions options;
        private final ColumnFamilyOptions cfOptions;
        private final BloomFilter filter;
        private final LRUCache blockCache;
        private final Map<Table, ColumnFamilyHandle> handles;
        private final List<ColumnFamilyHandle> allHandles;
        private final ReadOptions readOptions = new ReadOptions();
        private final WriteOptions writeOptions = new WriteOptions();

        private Db(RocksDB rocks, DBOptions options, ColumnFamilyOptions cfOptions, BloomFilter filter,
                LRUCache blockCache, Map<Table, ColumnFamilyHandle> handles, List<ColumnFamilyHandle> allHandles) {
            this.rocks = rocks;
            this.options = options;
            this.cfOptions = cfOptions;
            this.filter = filter;
            this.blockCache = blockCache;
            this.handles = handles;
            this.allHandles = allHandles;
        }

        static Db open(Path dir) {
            DBOptions options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
            BloomFilter filter = new BloomFilter(BLOOM_BITS_PER_KEY);
            LRUCache blockCache = new LRUCache(BLOCK_CACHE_BYTES);
            ColumnFamilyOptions cfOptions = new ColumnFamilyOptions().setTableFormatConfig(
                    new BlockBasedTableConfig().setFilterPolicy(filter).setBlockCache(blockCache));
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            for (Table table : Table.values()) {
                descriptors.add(new ColumnFamilyDescriptor(
                        table.columnFamily().getBytes(StandardCharsets.US_ASCII), cfOptions));
            }
            List<ColumnFamilyHandle> allHandles = new ArrayList<>();
            try {
                Files.createDirectories(dir);
                RocksDB rocks = RocksDB.open(options, dir.toString(), descriptors, allHandles);
                Map<Table, ColumnFamilyHandle> handles = new EnumMap<>(Table.class);
                for (Table table : Table.values()) {
                    handles.put(table, allHandles.get(table.ordinal()));
                }
                return new Db(rocks, options, cfOptions, filter, blockCache, handles, allHandles);
            } catch (RocksDBException | IOException e) {
                options.close();
                cfOptions.close();
                filter.close();
                blockCache.close();
                if (e instanceof IOException io) {
                    throw new UncheckedIOException(io);
                }
                throw new StorageException("cannot open RocksDB in " + dir + ": " + e.getMessage(), e);
            }
        }

        RocksDB rocks() {
            return rocks;
        }

        ColumnFamilyHandle handle(Table table) {
            return handles.get(table);
        }

        ReadOptions readOptions() {
            return readOptions;
        }

        KvView view() {
            return new KvView() {
                @Override
                public byte[] get(Table table, byte[] key) {
                    try {
                        return rocks.get(handle(table), readOptions, key);
                    } catch (RocksDBException e) {
                        throw new StorageException("read of " + table + " failed", e);
                    }
                }

                @Override
                public void scan(Table table, byte[] prefix, byte[] from, EntryVisitor visitor) {
                    try (RocksIterator it = rocks.newIterator(handle(table), readOptions)) {
                        MetaStore.scan(it, prefix, from, visitor);
                    }
                }
            };
        }

        void close() {
            allHandles.forEach(ColumnFamilyHandle::close);
            rocks.close();
            readOptions.close();
            writeOptions.close();
            options.close();
            cfOptions.close();
            filter.close();
            blockCache.close();
        }
    }
}
