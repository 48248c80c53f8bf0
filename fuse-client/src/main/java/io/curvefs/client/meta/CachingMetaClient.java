package io.curvefs.client.meta;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Caches dentries (positive lookups) and inode attributes in front of another {@link MetaClient}.
 *
 * <p>Entries expire after fixed timeouts, which bounds how long another mount's changes stay
 * unseen. This mount's own changes update or drop the affected entries at once, including the
 * parent directory's attributes that the metaserver changes during CreateDentry/DeleteDentry.
 * Attributes are keyed by inode, so all names of a hard-linked file share one entry.
 *
 * <p>Names found missing are remembered too (a negative cache, for the lookups of names that do
 * not exist yet, such as a tool probing before it creates), for at most the entry timeout and
 * never longer than {@link #NEGATIVE_TIMEOUT}; this mount's own creates and renames drop them.
 */
public final class CachingMetaClient implements MetaClient {

    private record DentryKey(long parent, String name) {
    }

    private final MetaClient backend;
    /** Longest time a missing name is trusted to stay missing (another mount may create it). */
    static final Duration NEGATIVE_TIMEOUT = Duration.ofSeconds(1);

    private final Cache<DentryKey, DirEntry> dentries;
    private final Cache<DentryKey, Boolean> missing;
    /** Bumped before every name this mount creates, so a lookup racing with it caches no miss. */
    private final AtomicLong nameChanges = new AtomicLong();
    private final Cache<Long, Attr> attrs;

    public CachingMetaClient(MetaClient backend, Duration entryTimeout, Duration attrTimeout, long maxEntries) {
        this(backend, entryTimeout, attrTimeout, maxEntries,
                entryTimeout.compareTo(NEGATIVE_TIMEOUT) < 0 ? entryTimeout : NEGATIVE_TIMEOUT);
    }

    CachingMetaClient(MetaClient backend, Duration entryTimeout, Duration attrTimeout, long maxEntries,
                      Duration negativeTimeout) {
        this.backend = backend;
        this.dentries = Caffeine.newBuilder().expireAfterWrite(entryTimeout).maximumSize(maxEntries).build();
        this.attrs = Caffeine.newBuilder().expireAfterWrite(attrTimeout).maximumSize(maxEntries).build();
        this.missing = Caffeine.newBuilder().expireAfterWrite(negativeTimeout).maximumSize(maxEntries).build();
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
        Optional<DirEntry> found = backend.lookup(parent, name);
        if (found.isPresent()) {
            dentries.put(key, found.get());
        } else {
            missing.put(key, Boolean.TRUE);
            if (nameChanges.get() != changesBefore) {
                missing.invalidate(key);
            }
        }
        return found;
    }

    @Override
    public Attr getAttr(long ino) {
        Attr cached = attrs.getIfPresent(ino);
        return cached != null ? cached : fetchAttr(ino);
    }

    @Override
    public Attr fetchAttr(long ino) {
        try {
            Attr attr = backend.fetchAttr(ino);
            attrs.put(ino, attr);
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
            Attr cached = attrs.getIfPresent(ino);
            if (cached != null) {
                out.put(ino, cached);
            } else {
                missing.add(ino);
            }
        }
        if (!missing.isEmpty()) {
            Map<Long, Attr> fetched = backend.batchGetAttr(missing);
            attrs.putAll(fetched);
            out.putAll(fetched);
        }
        return out;
    }

    @Override
    public List<DirEntry> listDentries(long dir, String last, int count) {
        List<DirEntry> page = backend.listDentries(dir, last, count);
        for (DirEntry e : page) {
            dentries.put(new DentryKey(dir, e.name()), e);
            missing.invalidate(new DentryKey(dir, e.name()));
        }
        return page;
    }

    @Override
    public Attr createInode(NewInode spec) {
        Attr attr = backend.createInode(spec);
        attrs.put(attr.ino(), attr);
        return attr;
    }

    @Override
    public void createDentry(long parent, String name, long ino, InodeType type, long time) {
        nameChanges.incrementAndGet();
        missing.invalidate(new DentryKey(parent, name));
        try {
            backend.createDentry(parent, name, ino, type, time);
            dentries.put(new DentryKey(parent, name), new DirEntry(name, ino, type));
        } finally {
            attrs.invalidate(parent);
        }
    }

    @Override
    public void deleteDentry(long parent, String name, InodeType type, long time) {
        dentries.invalidate(new DentryKey(parent, name));
        try {
            backend.deleteDentry(parent, name, type, time);
        } finally {
            attrs.invalidate(parent);
        }
    }

    @Override
    public void updateInode(long ino, InodeUpdate update) {
        try {
            backend.updateInode(ino, update);
            attrs.asMap().computeIfPresent(ino, (k, old) -> update.applyTo(old));
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
    public void deleteInode(long ino) {
        attrs.invalidate(ino);
        backend.deleteInode(ino);
    }

    @Override
    public Map<String, byte[]> getXattrs(long ino) {
        return backend.getXattrs(ino);
    }

    @Override
    public void setXattrs(long ino, Map<String, byte[]> xattrs, long ctime) {
        attrs.invalidate(ino);
        backend.setXattrs(ino, xattrs, ctime);
    }

    @Override
    public Optional<DirEntry> rename(long oldParent, String oldName, long newParent, String newName, DirEntry entry,
                                     long time) {
        dentries.invalidate(new DentryKey(oldParent, oldName));
        dentries.invalidate(new DentryKey(newParent, newName));
        nameChanges.incrementAndGet();
        missing.invalidate(new DentryKey(newParent, newName));
        try {
            Optional<DirEntry> replaced = backend.rename(oldParent, oldName, newParent, newName, entry, time);
            replaced.ifPresent(r -> attrs.invalidate(r.ino()));
            return replaced;
        } finally {
            attrs.invalidate(oldParent);
            attrs.invalidate(newParent);
            attrs.invalidate(entry.ino());
        }
    }

    @Override
    public long inodeCount() {
        return backend.inodeCount();
    }

    @Override
    public void close() {
        backend.close();
    }
}
