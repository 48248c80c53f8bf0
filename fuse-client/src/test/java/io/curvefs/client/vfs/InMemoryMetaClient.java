package io.curvefs.client.vfs;

import io.curvefs.client.meta.Attr;
import io.curvefs.client.meta.DirEntry;
import io.curvefs.client.meta.InodeType;
import io.curvefs.client.meta.InodeUpdate;
import io.curvefs.client.meta.LookupResult;
import io.curvefs.client.meta.MetaClient;
import io.curvefs.client.meta.MetaException;
import io.curvefs.client.meta.NewInode;
import io.curvefs.client.meta.RenameResult;
import io.curvefs.client.meta.Unlinked;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A metaserver in memory with the same side effects as the real one (parent nlink and times on dentry changes);
 * a rename answers the attributes of the parents and the moved inode, as a RenameInPartition does.
 */
public final class InMemoryMetaClient implements MetaClient {

    static final long ROOT = 1;
    private final Map<Long, Attr> inodes = new HashMap<>();
    private final Map<Long, Map<String, byte[]>> xattrs = new HashMap<>();
    private final Map<Long, NavigableMap<String, DirEntry>> dirs = new HashMap<>();
    private long nextIno = 100;
    private final AtomicInteger attrReads = new AtomicInteger();
    private final AtomicInteger xattrReads = new AtomicInteger();
    private final AtomicInteger batchReads = new AtomicInteger();

    public InMemoryMetaClient() {
        inodes.put(ROOT, new Attr(ROOT, InodeType.DIRECTORY, Mode.S_IFDIR | 0755, 0, 0, 2, 4096, 0, 0, 0, 0,
                null, List.of()));
    }

    @Override
    public long rootIno() {
        return ROOT;
    }

    @Override
    public synchronized Optional<DirEntry> lookup(long parent, String name) {
        return Optional.ofNullable(dirs.getOrDefault(parent, new TreeMap<>()).get(name));
    }

    @Override
    public synchronized Attr getAttr(long ino) {
        Attr attr = inodes.get(ino);
        if (attr == null) {
            throw new MetaException(MetaException.Kind.NOT_FOUND, "inode " + ino);
        }
        return attr;
    }

    @Override
    public Attr fetchAttr(long ino) {
        attrReads.incrementAndGet();
        return getAttr(ino);
    }

    @Override
    public Attr fetchAttrForReading(long ino) {
        return fetchAttr(ino);
    }

    /** As a metaserver answers when the child lives in the parent's partition: with its attributes. */
    @Override
    public synchronized Optional<LookupResult> lookupWithAttr(long parent, String name) {
        return lookup(parent, name).map(entry -> new LookupResult(entry, inodes.get(entry.ino())));
    }

    /** How many times attributes were read on their own ({@link #fetchAttr}). */
    public int attrReads() {
        return attrReads.get();
    }

    /** How many getXattrs calls reached this client. */
    public int xattrReads() {
        return xattrReads.get();
    }

    /** Like the metaserver (all inodes here are in one partition): the attributes come along. */
    @Override
    public synchronized List<LookupResult> listDentriesWithAttrs(long dir, String last, int count) {
        return listDentries(dir, last, count).stream().map(e -> new LookupResult(e, asFetched(e.ino()))).toList();
    }

    @Override
    public synchronized Map<Long, Attr> batchGetAttr(Collection<Long> inos) {
        batchReads.incrementAndGet();
        Map<Long, Attr> out = new HashMap<>();
        for (long ino : inos) {
            Attr a = asFetched(ino);
            if (a != null) {
                out.put(ino, a);
            }
        }
        return out;
    }

    /** How many batchGetAttr calls reached this client. */
    public int batchReads() {
        return batchReads.get();
    }

    /** The attributes as a metaserver answers them, extended attributes included; null if gone. */
    private Attr asFetched(long ino) {
        Attr a = inodes.get(ino);
        return a == null ? null : new Attr(a.ino(), a.type(), a.mode(), a.uid(), a.gid(), a.nlink(), a.length(),
                a.rdev(), a.atime(), a.mtime(), a.ctime(), a.symlink(), a.parents(), xattrs.getOrDefault(ino, Map.of()));
    }

    @Override
    public synchronized List<DirEntry> listDentries(long dir, String last, int count) {
        NavigableMap<String, DirEntry> entries = dirs.getOrDefault(dir, new TreeMap<>());
        return new ArrayList<>(entries.tailMap(last, false).values()).subList(0,
                Math.min(count, entries.tailMap(last, false).size()));
    }

    @Override
    public synchronized Attr create(String name, NewInode spec) {
        if (lookup(spec.parent(), name).isPresent()) {
            throw new MetaException(MetaException.Kind.EXISTS, name);
        }
        Attr attr = createInode(spec);
        createDentry(spec.parent(), name, attr.ino(), spec.type(), spec.createTime());
        return attr;
    }

    private Attr createInode(NewInode spec) {
        long ino = nextIno++;
        int nlink = spec.type() == InodeType.DIRECTORY ? 2 : 1;
        Attr attr = new Attr(ino, spec.type(), spec.mode(), spec.uid(), spec.gid(), nlink, spec.length(), spec.rdev(),
                spec.createTime(), spec.createTime(), spec.createTime(), spec.symlink(), List.of(spec.parent()));
        inodes.put(ino, attr);
        return attr;
    }

    @Override
    public synchronized void createDentry(long parent, String name, long ino, InodeType type, long time) {
        NavigableMap<String, DirEntry> entries = dirs.computeIfAbsent(parent, k -> new TreeMap<>());
        if (entries.containsKey(name)) {
            throw new MetaException(MetaException.Kind.EXISTS, name);
        }
        entries.put(name, new DirEntry(name, ino, type));
        Attr dir = getAttr(parent);
        InodeUpdate u = new InodeUpdate().mtime(time).ctime(time);
        if (type == InodeType.DIRECTORY) {
            u.nlink(dir.nlink() + 1);
        }
        inodes.put(parent, u.applyTo(dir));
    }

    @Override
    public synchronized void deleteDentry(long parent, String name, InodeType type, long time) {
        NavigableMap<String, DirEntry> entries = dirs.computeIfAbsent(parent, k -> new TreeMap<>());
        if (entries.remove(name) == null) {
            throw new MetaException(MetaException.Kind.NOT_FOUND, name);
        }
        Attr dir = getAttr(parent);
        InodeUpdate u = new InodeUpdate().mtime(time).ctime(time);
        if (type == InodeType.DIRECTORY) {
            u.nlink(dir.nlink() - 1);
        }
        inodes.put(parent, u.applyTo(dir));
    }

    /** As a metaserver does when the inode lives in the parent's partition: drops the link too. */
    @Override
    public synchronized Unlinked unlink(long parent, String name, long ino, InodeType type, boolean keepAtLastLink,
                                        long time) {
        DirEntry entry = lookup(parent, name).orElseThrow(() -> new MetaException(MetaException.Kind.NOT_FOUND, name));
        deleteDentry(parent, name, type, time);
        Attr child = inodes.get(entry.ino());
        if (entry.ino() != ino || child == null || child.type() == InodeType.DIRECTORY) {
            return Unlinked.nameOnly(entry.ino());
        }
        List<Long> parents = new ArrayList<>(child.parents());
        parents.remove(Long.valueOf(parent));
        Attr after = new InodeUpdate().nlink(Math.max(0, child.nlink() - 1)).ctime(time).parents(parents)
                .applyTo(child);
        if (after.nlink() == 0 && !keepAtLastLink) {
            deleteInode(ino);
            return new Unlinked(ino, true, after, true, Map.of());
        }
        inodes.put(ino, after);
        return new Unlinked(ino, true, after, false, Map.of());
    }

    @Override
    public synchronized void updateInode(long ino, InodeUpdate update) {
        inodes.put(ino, update.applyTo(getAttr(ino)));
    }

    @Override
    public synchronized int addNlink(long ino, int delta, InodeUpdate update) {
        Attr attr = update.applyTo(getAttr(ino));
        int nlink = Math.max(0, attr.nlink() + delta);
        inodes.put(ino, update.nlink(nlink).applyTo(attr));
        return nlink;
    }

    @Override
    public synchronized void deleteInode(long ino) {
        inodes.remove(ino);
        xattrs.remove(ino);
    }

    @Override
    public synchronized Map<String, byte[]> getXattrs(long ino) {
        xattrReads.incrementAndGet();
        getAttr(ino);
        return Map.copyOf(xattrs.getOrDefault(ino, Map.of()));
    }

    @Override
    public synchronized void setXattrs(long ino, Map<String, byte[]> map, long ctime) {
        updateInode(ino, new InodeUpdate().ctime(ctime));
        xattrs.put(ino, new HashMap<>(map));
    }

    @Override
    public synchronized RenameResult rename(long oldParent, String oldName, long newParent, String newName,
                                            DirEntry entry, long time) {
        Optional<DirEntry> replaced = lookup(newParent, newName);
        replaced.ifPresent(r -> deleteDentry(newParent, newName, r.type(), time));
        createDentry(newParent, newName, entry.ino(), entry.type(), time);
        deleteDentry(oldParent, oldName, entry.type(), time);
        Map<Long, Attr> after = new HashMap<>();
        after.put(oldParent, getAttr(oldParent));
        after.put(newParent, getAttr(newParent));
        Attr moved = inodes.get(entry.ino());
        if (moved != null) {
            List<Long> parents = new ArrayList<>(moved.parents());
            if (oldParent != newParent) {
                parents.remove(Long.valueOf(oldParent));
                parents.add(newParent);
            }
            updateInode(entry.ino(), new InodeUpdate().ctime(time).parents(parents));
            after.put(entry.ino(), getAttr(entry.ino()));
        }
        return new RenameResult(replaced, OptionalInt.empty(), after);
    }

    @Override
    public synchronized long inodeCount() {
        return inodes.size();
    }

    public synchronized boolean exists(long ino) {
        return inodes.containsKey(ino);
    }

    @Override
    public void close() {
    }
}
