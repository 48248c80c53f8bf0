package io.curvefs.client.meta;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.curvefs.proto.metaserver.S3ChunkInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caches dentries (positive lookups) and inode attributes in front of another {@link MetaClient}.
 *
 * <p>Entries expire after fixed timeouts, which bounds how long another mount's changes stay
 * unseen. This mount's own changes update or drop the affected entries at once, including the
 * parent directory's attributes that the metaserver changes when it adds or removes a dentry
 * (their times become the request's time, as the metaserver sets them, and a directory child
 * counts in nlink), so that a create or unlink costs no read of the parent afterwards. An
 * attribute entry is trusted for the timeout from when it was read from the metaserver, however
 * often this mount's own changes are applied to it since. Attributes are keyed by inode, so all
 * names of a hard-linked file share one entry.
 *
 * <p>Names found missing are remembered too (a negative cache, for the lookups of names that do
 * not exist yet, such as a tool probing before it creates), for at most the entry timeout and
 * never longer than {@link #NEGATIVE_TIMEOUT}; this mount's own creates and renames drop them.
 *
 * <p>Extended attributes are cached like attributes (a new inode has none, which answers the
 * kernel's security.capability probe after a create without an RPC). Updates that may be lost
 * (atime) are applied to the cache at once and sent by one background thread in order; any later
 * update of the same inode from this mount waits for them, so they never land after it.
 */
public final class CachingMetaClient implements MetaClient {

    private record DentryKey(long parent, String name) {
    }

    /** Attributes with the time they were read from the metaserver ({@link System#nanoTime}). */
    private record CachedAttr(Attr attr, long fetchedAt) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(CachingMetaClient.class);
    private final MetaClient backend;
    /** Longest time a missing name is trusted to stay missing (another mount may create it). */
    static final Duration NEGATIVE_TIMEOUT = Duration.ofSeconds(1);

    private final Cache<DentryKey, DirEntry> dentries;
    private final Cache<DentryKey, Boolean> missing;
    /** Bumped before every name this mount creates, so a lookup racing with it caches no miss. */
    private final AtomicLong nameChanges = new AtomicLong();
    private final Cache<Long, CachedAttr> attrs;
    private final long attrTimeoutNanos;
    /** Extended attributes, trusted as long as attributes: the kernel asks for security.capability on every first write. */
    private final Cache<Long, Map<String, byte[]>> xattrs;
    /** When this mount last finished changing extended attributes (System.nanoTime). */
    private volatile long xattrsChangedAt = System.nanoTime();
    /** Sends best-effort updates (atime) off the caller's path, in order, one at a time. */
    private final ExecutorService background = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(BACKGROUND_QUEUE), runnable -> {
                Thread thread = new Thread(runnable, "curvefs-meta-background");
                thread.setDaemon(true);
                return thread;
            });
    /** The background update of each inode still under way; a later update of the inode waits for it. */
    private final Map<Long, CompletableFuture<Void>> pendingBackground = new ConcurrentHashMap<>();
    private static final int BACKGROUND_QUEUE = 4096;

    public CachingMetaClient(MetaClient backend, Duration entryTimeout, Duration attrTimeout, long maxEntries) {
        this(backend, entryTimeout, attrTimeout, maxEntries,
                entryTimeout.compareTo(NEGATIVE_TIMEOUT) < 0 ? entryTimeout : NEGATIVE_TIMEOUT);
    }

    CachingMetaClient(MetaClient backend, Duration entryTimeout, Duration attrTimeout, long maxEntries,
                      Duration negativeTimeout) {
        this.backend = backend;
        this.dentries = cache(entryTimeout, maxEntries);
        this.attrs = cache(attrTimeout, maxEntries);
        this.attrTimeoutNanos = attrTimeout.toNanos();
        this.missing = cache(negativeTimeout, maxEntries);
        this.xattrs = cache(attrTimeout, maxEntries);
    }

    /**
     * A cache whose upkeep (eviction, expiry) runs on the thread that changed it: Caffeine's default
     * hands it to the common ForkJoinPool after writes, and with a create or unlink writing several
     * entries that hand-off (a thread wake-up each) cost more CPU than the upkeep itself.
     */
    private static <K, V> Cache<K, V> cache(Duration timeout, long maxEntries) {
        return Caffeine.newBuilder().expireAfterWrite(timeout).maximumSize(maxEntries).executor(Runnable::run).build();
    }

    @Override
    public long rootIno() {
        return backend.rootIno();
    }

    @Override
    public Optional<DirEntry> lookup(long parent, String name) {
        DentryKey key = new DentryKey(parent, name);
        DirEntry cached = dentries.getIfPresent(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        if (missing.getIfPresent(key) != null) {
            return Optional.empty();
        }
        long changesBefore = nameChanges.get();
        long fetchedAt = System.nanoTime();
        Optional<LookupResult> found = backend.lookupWithAttr(parent, name);
        if (found.isPresent()) {
            dentries.put(key, found.get().entry());
            if (found.get().attr() != null) {
                putFetchedUnlessFresh(found.get().attr(), fetchedAt);
            }
        } else {
            missing.put(key, Boolean.TRUE);
            if (nameChanges.get() != changesBefore) {
                missing.invalidate(key);
            }
        }
        return found.map(LookupResult::entry);
    }

    @Override
    public Attr getAttr(long ino) {
        Attr cached = cachedAttr(ino);
        return cached != null ? cached : fetchAttr(ino);
    }

    /** The cached attributes if read from the metaserver less than the timeout ago, else null. */
    private Attr cachedAttr(long ino) {
        CachedAttr cached = attrs.getIfPresent(ino);
        return cached == null || System.nanoTime() - cached.fetchedAt() > attrTimeoutNanos ? null : cached.attr();
    }

    private void putFetched(Attr attr, long fetchedAt) {
        attrs.put(attr.ino(), new CachedAttr(attr, fetchedAt));
        putFetchedXattrs(attr, fetchedAt);
    }

    /**
     * Attributes fetched from the metaserver carry the extended attributes: caching them answers
     * the getxattr that {@code ls -l} sends for every entry after a listing. A fetch that began
     * before this mount's last xattr change finished may hold the old values; it is not kept.
     */
    private void putFetchedXattrs(Attr attr, long fetchedAt) {
        if (attr.xattrs() != null && fetchedAt - xattrsChangedAt > 0) {
            xattrs.put(attr.ino(), attr.xattrs());
        }
    }

    /**
     * Caches attributes that came with a lookup only where none are trusted yet: an entry this
     * mount already trusts stays, with the own changes applied to it since it was read.
     */
    private void putFetchedUnlessFresh(Attr attr, long fetchedAt) {
        attrs.asMap().merge(attr.ino(), new CachedAttr(attr, fetchedAt),
                (held, fresh) -> System.nanoTime() - held.fetchedAt() > attrTimeoutNanos ? fresh : held);
        putFetchedXattrs(attr, fetchedAt);
    }

    /** Applies an own change to the cached attributes, if any, keeping the time they were read. */
    private void changeCached(long ino, UnaryOperator<Attr> change) {
        attrs.asMap().computeIfPresent(ino, (k, cached) -> new CachedAttr(change.apply(cached.attr()),
                cached.fetchedAt()));
    }

    @Override
    public Attr fetchAttr(long ino) {
        return fetched(ino, backend::fetchAttr);
    }

    @Override
    public Attr fetchAttrForReading(long ino) {
        return fetched(ino, backend::fetchAttrForReading);
    }

    private Attr fetched(long ino, LongFunction<Attr> fetch) {
        try {
            long fetchedAt = System.nanoTime();
            Attr attr = fetch.apply(ino);
            putFetched(attr, fetchedAt);
            return attr;
        } catch (MetaException e) {
            attrs.invalidate(ino);
            throw e;
        }
    }

    @Override
    public Map<Long, Attr> batchGetAttr(Collection<Long> inos) {
        Map<Long, Attr> out = new HashMap<>();
        List<Long> missing = new ArrayList<>();
        for (long ino : inos) {
            Attr cached = cachedAttr(ino);
            if (cached != null) {
                out.put(ino, cached);
            } else {
                missing.add(ino);
            }
        }
        if (!missing.isEmpty()) {
            long fetchedAt = System.nanoTime();
            Map<Long, Attr> fetched = backend.batchGetAttr(missing);
            fetched.values().forEach(attr -> putFetched(attr, fetchedAt));
            out.putAll(fetched);
        }
        return out;
    }

    @Override
    public List<DirEntry> listDentries(long dir, String last, int count) {
        List<DirEntry> page = backend.listDentries(dir, last, count);
        page.forEach(e -> putListed(dir, e));
        return page;
    }

    /** The attributes that came along are cached like a lookup's (trusted entries stay). */
    @Override
    public List<LookupResult> listDentriesWithAttrs(long dir, String last, int count) {
        long fetchedAt = System.nanoTime();
        List<LookupResult> page = backend.listDentriesWithAttrs(dir, last, count);
        for (LookupResult listed : page) {
            putListed(dir, listed.entry());
            if (listed.attr() != null) {
                putFetchedUnlessFresh(listed.attr(), fetchedAt);
            }
        }
        return page;
    }

    private void putListed(long dir, DirEntry e) {
        dentries.put(new DentryKey(dir, e.name()), e);
        missing.invalidate(new DentryKey(dir, e.name()));
    }

    @Override
    public Attr create(String name, NewInode spec) {
        long parent = spec.parent();
        nameChanges.incrementAndGet();
        missing.invalidate(new DentryKey(parent, name));
        long fetchedAt = System.nanoTime();
        Attr attr;
        try {
            attr = backend.create(name, spec);
        } catch (RuntimeException e) {
            attrs.invalidate(parent);
            throw e;
        }
        putFetched(attr, fetchedAt);
        xattrs.put(attr.ino(), Map.of());
        dentries.put(new DentryKey(parent, name), new DirEntry(name, attr.ino(), spec.type()));
        changeCached(parent, dir -> touched(dir, spec.createTime(), spec.type() == InodeType.DIRECTORY ? 1 : 0));
        return attr;
    }

    @Override
    public void createDentry(long parent, String name, long ino, InodeType type, long time) {
        nameChanges.incrementAndGet();
        missing.invalidate(new DentryKey(parent, name));
        try {
            backend.createDentry(parent, name, ino, type, time);
        } catch (RuntimeException e) {
            attrs.invalidate(parent);
            throw e;
        }
        dentries.put(new DentryKey(parent, name), new DirEntry(name, ino, type));
        changeCached(parent, dir -> touched(dir, time, type == InodeType.DIRECTORY ? 1 : 0));
    }

    /** The parent as the metaserver leaves it after adding or removing a dentry at {@code time}. */
    private static Attr touched(Attr dir, long time, int nlinkDelta) {
        return new Attr(dir.ino(), dir.type(), dir.mode(), dir.uid(), dir.gid(), Math.max(0, dir.nlink() + nlinkDelta),
                dir.length(), dir.rdev(), dir.atime(), time, time, dir.symlink(), dir.parents());
    }

    @Override
    public void deleteDentry(long parent, String name, InodeType type, long time) {
        dentries.invalidate(new DentryKey(parent, name));
        try {
            backend.deleteDentry(parent, name, type, time);
        } catch (RuntimeException e) {
            attrs.invalidate(parent);
            throw e;
        }
        changeCached(parent, dir -> touched(dir, time, type == InodeType.DIRECTORY ? -1 : 0));
    }

    /** The inode's answered state replaces its cached attributes, as a read of them would. */
    @Override
    public Unlinked unlink(long parent, String name, long ino, InodeType type, boolean keepAtLastLink, long time) {
        dentries.invalidate(new DentryKey(parent, name));
        long fetchedAt = System.nanoTime();
        Unlinked unlinked;
        try {
            unlinked = backend.unlink(parent, name, ino, type, keepAtLastLink, time);
        } catch (RuntimeException e) {
            attrs.invalidate(parent);
            attrs.invalidate(ino);
            throw e;
        }
        changeCached(parent, dir -> touched(dir, time, type == InodeType.DIRECTORY ? -1 : 0));
        if (unlinked.deleted()) {
            attrs.invalidate(unlinked.ino());
            xattrs.invalidate(unlinked.ino());
        } else if (unlinked.after() != null) {
            putFetched(unlinked.after(), fetchedAt);
        }
        return unlinked;
    }

    @Override
    public void updateInode(long ino, InodeUpdate update) {
        awaitBackground(ino);
        try {
            backend.updateInode(ino, update);
            changeCached(ino, update::applyTo);
        } catch (MetaException e) {
            attrs.invalidate(ino);
            throw e;
        }
    }

    @Override
    public int addNlink(long ino, int delta, InodeUpdate update) {
        attrs.invalidate(ino);
        try {
            return backend.addNlink(ino, delta, update);
        } finally {
            attrs.invalidate(ino);
        }
    }

    @Override
    public void updateInodeInBackground(long ino, InodeUpdate update) {
        changeCached(ino, update::applyTo);
        CompletableFuture<Void> done = new CompletableFuture<>();
        pendingBackground.put(ino, done);
        Runnable send = () -> {
            try {
                backend.updateInode(ino, update);
            } catch (RuntimeException e) {
                attrs.invalidate(ino);
                LOG.debug("background update of inode {} not applied: {}", ino, e.toString());
            } finally {
                done.complete(null);
                pendingBackground.remove(ino, done);
            }
        };
        try {
            background.execute(send);
        } catch (RejectedExecutionException e) {
            attrs.invalidate(ino);
            done.complete(null);
            pendingBackground.remove(ino, done);
        }
    }

    /** Waits until this mount's background update of {@code ino} (if any) has been sent and answered. */
    private void awaitBackground(long ino) {
        CompletableFuture<Void> pending = pendingBackground.get(ino);
        if (pending != null) {
            pending.join();
        }
    }

    @Override
    public void deleteInode(long ino) {
        attrs.invalidate(ino);
        xattrs.invalidate(ino);
        backend.deleteInode(ino);
    }

    @Override
    public Map<Long, List<S3ChunkInfo>> deleteInodeWithChunks(long ino) {
        attrs.invalidate(ino);
        xattrs.invalidate(ino);
        return backend.deleteInodeWithChunks(ino);
    }

    @Override
    public Map<String, byte[]> getXattrs(long ino) {
        return xattrs.get(ino, k -> Map.copyOf(backend.getXattrs(k)));
    }

    @Override
    public void setXattrs(long ino, Map<String, byte[]> changed, long ctime) {
        attrs.invalidate(ino);
        xattrs.invalidate(ino);
        try {
            backend.setXattrs(ino, changed, ctime);
        } finally {
            xattrsChangedAt = System.nanoTime();
            xattrs.invalidate(ino);
        }
    }

    /**
     * The new name is cached; the attributes the rename answered replace the cached ones of the
     * parents, the moved and the replaced inode, and those it did not answer are dropped.
     */
    @Override
    public RenameResult rename(long oldParent, String oldName, long newParent, String newName, DirEntry entry,
                               long time) {
        dentries.invalidate(new DentryKey(oldParent, oldName));
        dentries.invalidate(new DentryKey(newParent, newName));
        nameChanges.incrementAndGet();
        missing.invalidate(new DentryKey(newParent, newName));
        List<Long> touched = new ArrayList<>(List.of(oldParent, newParent, entry.ino()));
        long fetchedAt = System.nanoTime();
        RenameResult renamed;
        try {
            renamed = backend.rename(oldParent, oldName, newParent, newName, entry, time);
        } catch (RuntimeException e) {
            touched.forEach(attrs::invalidate);
            throw e;
        }
        dentries.put(new DentryKey(newParent, newName), new DirEntry(newName, entry.ino(), entry.type()));
        renamed.replaced().ifPresent(r -> touched.add(r.ino()));
        for (long ino : touched) {
            Attr after = renamed.attrs().get(ino);
            if (after != null) {
                putFetched(after, fetchedAt);
            } else {
                attrs.invalidate(ino);
            }
        }
        return renamed;
    }

    @Override
    public long inodeCount() {
        return backend.inodeCount();
    }

    @Override
    public void close() {
        background.shutdown();
        try {
            if (!background.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("background metadata updates still running at close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        backend.close();
    }
}
