package io.curvefs.client.vfs;

import io.curvefs.client.data.DataStore;
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
import io.curvefs.proto.metaserver.S3ChunkInfo;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The POSIX file system of one mount, addressed by inode ids, answering errnos.
 *
 * <p>It turns each operation into metadata calls ({@link MetaClient}) and data calls
 * ({@link DataStore}) and owns every POSIX rule that neither of those enforces: name limits,
 * type checks, rename rules, link counts of non-directories, xattr flags, and close-to-open
 * consistency (open re-reads the inode and drops cached chunk lists; flush makes data durable
 * and then writes length and times). The metaserver itself keeps a directory's nlink and its
 * mtime/ctime when dentries are created or removed in it.
 *
 * <p>Files open in this mount carry their length in memory (see {@link OpenFile}) so that writes
 * need no metadata call until flush; getattr shows that length. Rename is atomic in the metadata
 * service; the release of the name it replaced follows it (deleting the file once the metadata
 * service says its last link went with the rename). Create (inode + dentry) is one metadata call,
 * atomic where the inode lives with its dentry (see {@link MetaClient#create}); so is an unlink
 * that drops the file's link with its name ({@link MetaClient#unlink}).
 */
public final class Vfs {

    private static final Logger LOG = LoggerFactory.getLogger(Vfs.class);
    public static final int NAME_MAX = 255;
    public static final int XATTR_NAME_MAX = 255;
    public static final int XATTR_SIZE_MAX = 65536;
    private static final int DIRECTORY_LENGTH = 4096;
    private static final int MAX_DEPTH = 4096;
    private static final int DIR_PAGE = 1024;
    private static final long RELATIME_AGE = 24L * 3600 * 1_000_000_000L;

    private final MetaClient meta;
    private final DataStore data;
    private final Supplier<FsStats> stats;
    private final ControlXattrs controlXattrs;
    private final Map<Long, OpenFile> openFiles = new ConcurrentHashMap<>();
    private final Map<Long, Handle> handles = new ConcurrentHashMap<>();
    private final Map<Long, DirStream> dirStreams = new ConcurrentHashMap<>();
    private final AtomicLong nextHandle = new AtomicLong(1);
    private final AtomicLong usageDelta = new AtomicLong();
    private static final String POSIX_ACL_PREFIX = "system.posix_acl_";

    private final Object xattrLock = new Object();
    private final boolean recordsAtime;

    /** An open file handle; {@code readSeen} makes only its first read consider atime (relatime). */
    private record Handle(long ino, int flags, boolean keepCache, AtomicBoolean readSeen) {
        Handle(long ino, int flags, boolean keepCache) {
            this(ino, flags, keepCache, new AtomicBoolean());
        }
    }

    /** The result of create: the new (or opened) file and its handle. */
    public record Created(Attr attr, long handle) {
    }

    public Vfs(MetaClient meta, DataStore data, Supplier<FsStats> stats) {
        this(meta, data, stats, true);
    }

    /** @param recordsAtime false for a noatime mount: reads and listings never update atime */
    public Vfs(MetaClient meta, DataStore data, Supplier<FsStats> stats, boolean recordsAtime) {
        this.meta = meta;
        this.data = data;
        this.stats = stats;
        this.recordsAtime = recordsAtime;
        this.controlXattrs = new ControlXattrs(meta, data);
    }

    public long rootIno() {
        return meta.rootIno();
    }

    // ---- names and attributes

    /** The entry {@code name} of directory {@code parent} without its attributes (path walks). */
    public DirEntry resolve(long parent, String name) {
        return guarded(() -> {
            checkName(name);
            return meta.lookup(parent, name).orElseThrow(() -> new VfsException(Errno.ENOENT));
        });
    }

    public Attr lookup(long parent, String name) {
        return guarded(() -> {
            checkName(name);
            DirEntry entry = meta.lookup(parent, name).orElseThrow(() -> new VfsException(Errno.ENOENT));
            return withOpenState(meta.getAttr(entry.ino()));
        });
    }

    public Attr getattr(long ino) {
        return guarded(() -> withOpenState(meta.getAttr(ino)));
    }

    /** Attributes of the inode open under {@code handle}, also after its last name is gone. */
    public Attr getattrOfHandle(long handle) {
        return guarded(() -> withOpenState(meta.getAttr(handle(handle).ino())));
    }

    public Attr setattrOfHandle(long handle, SetAttr change) {
        return setattr(guarded(() -> handle(handle).ino()), change);
    }

    /**
     * Changes attributes. Buffered writes of the inode are flushed first, so that the length and
     * mtime they carry cannot later overwrite what is set here (cp -p sets times before close);
     * without a size change that flush's UpdateInode carries the new attributes too, so chmod
     * and utimens are one metaserver write, with no read: only the file type (which never
     * changes) is taken from the cached attributes. chown and truncate read the inode first
     * (the set-ID bits and the length must be current).
     */
    public Attr setattr(long ino, SetAttr change) {
        return guarded(() -> {
            boolean readsCurrent = change.size() != null || change.uid() != null || change.gid() != null;
            if (readsCurrent) {
                flushInode(ino);
            }
            Attr attr = readsCurrent ? meta.fetchAttr(ino) : meta.getAttr(ino);
            long now = now();
            InodeUpdate update = new InodeUpdate().ctime(now);
            if (change.mode() != null) {
                update.mode((attr.mode() & Mode.S_IFMT) | (change.mode() & Mode.PERMISSIONS));
            }
            if ((change.uid() != null || change.gid() != null) && !attr.isDirectory()) {
                int mode = update.mode() != null ? update.mode() : attr.mode();
                update.mode(withoutSetIdOnChown(mode));
            }
            if (change.uid() != null) {
                update.uid(change.uid());
            }
            if (change.gid() != null) {
                update.gid(change.gid());
            }
            if (change.atime() != null) {
                update.atime(change.atime() == SetAttr.NOW ? now : change.atime());
            }
            if (change.mtime() != null) {
                update.mtime(change.mtime() == SetAttr.NOW ? now : change.mtime());
            }
            if (change.size() != null) {
                truncate(attr, change.size(), update, now);
            } else if (readsCurrent) {
                meta.updateInode(ino, update);
            } else {
                flushInode(ino, update);
            }
            return withOpenState(meta.getAttr(ino));
        });
    }

    private void truncate(Attr attr, long size, InodeUpdate update, long now) {
        update.ctime(now);
        if (attr.isDirectory()) {
            throw new VfsException(Errno.EISDIR);
        }
        if (attr.type() != InodeType.FILE || size < 0) {
            throw new VfsException(Errno.EINVAL);
        }
        if (update.mtime() == null) {
            update.mtime(now);
        }
        OpenFile open = openFiles.get(attr.ino());
        if (open == null) {
            data.truncate(attr.ino(), attr.length(), size);
            meta.updateInode(attr.ino(), update.length(size));
            usageDelta.addAndGet(size - attr.length());
            return;
        }
        synchronized (open) {
            data.truncate(attr.ino(), open.length, size);
            meta.updateInode(attr.ino(), update.length(size));
            usageDelta.addAndGet(size - open.persistedLength);
            open.length = size;
            open.persistedLength = size;
            open.mtime = update.mtime();
            open.ctime = now;
        }
    }

    /** chown clears set-user-ID, and set-group-ID where group execute makes it one (not a locking mark). */
    private static int withoutSetIdOnChown(int mode) {
        int cleared = mode & ~Mode.S_ISUID;
        return (mode & 010) != 0 ? cleared & ~Mode.S_ISGID : cleared;
    }

    private Attr withOpenState(Attr attr) {
        OpenFile open = openFiles.get(attr.ino());
        if (open == null) {
            return attr;
        }
        synchronized (open) {
            Attr shown = attr.withLength(open.length);
            return open.dirty ? shown.withTimes(open.mtime, open.ctime) : shown;
        }
    }

    public void access(long ino, int mask, Caller caller) {
        guarded(() -> {
            Attr attr = meta.getAttr(ino);
            if (mask == 0) {
                return null;
            }
            if (caller.isRoot()) {
                boolean anyExec = (attr.mode() & 0111) != 0 || attr.isDirectory();
                if ((mask & Mode.X_OK) != 0 && !anyExec) {
                    throw new VfsException(Errno.EACCES);
                }
                return null;
            }
            int shift = caller.uid() == attr.uid() ? 6 : caller.inGroup(attr.gid()) ? 3 : 0;
            int granted = (attr.mode() >> shift) & 7;
            if ((mask & granted) != mask) {
                throw new VfsException(Errno.EACCES);
            }
            return null;
        });
    }

    // ---- creating names

    public Attr mknod(long parent, String name, int mode, long rdev, Caller caller) {
        return guarded(() -> {
            int type = mode & Mode.S_IFMT;
            if (type == Mode.S_IFDIR || type == Mode.S_IFLNK) {
                throw new VfsException(Errno.EINVAL);
            }
            int fileMode = (type == 0 ? Mode.S_IFREG : type) | (mode & Mode.PERMISSIONS);
            return createNamed(parent, name, InodeType.FILE, fileMode, rdev, null, 0, caller);
        });
    }

    public Attr mkdir(long parent, String name, int mode, Caller caller) {
        return guarded(() -> createNamed(parent, name, InodeType.DIRECTORY,
                Mode.S_IFDIR | (mode & Mode.PERMISSIONS), 0, null, DIRECTORY_LENGTH, caller));
    }

    public Attr symlink(long parent, String name, String target, Caller caller) {
        return guarded(() -> {
            if (target.isEmpty()) {
                throw new VfsException(Errno.ENOENT);
            }
            int length = target.getBytes(StandardCharsets.UTF_8).length;
            return createNamed(parent, name, InodeType.SYMLINK, Mode.S_IFLNK | 0777, 0, target, length, caller);
        });
    }

    /**
     * The kernel sends CREATE only after a lookup found no such name, so the usual case is tried
     * directly, without asking the metaserver again; a name created meanwhile (another mount)
     * comes back as EXISTS, and no unused inode is left.
     */
    public Created create(long parent, String name, int mode, int flags, Caller caller) {
        return guarded(() -> {
            checkName(name);
            Attr attr;
            boolean existed = false;
            try {
                attr = createAbsent(parent, name, InodeType.FILE, Mode.S_IFREG | (mode & Mode.PERMISSIONS), 0,
                        null, 0, caller);
            } catch (MetaException e) {
                if (e.kind() != MetaException.Kind.EXISTS) {
                    throw e;
                }
                if ((flags & Mode.O_EXCL) != 0) {
                    throw new VfsException(Errno.EEXIST);
                }
                DirEntry entry = meta.lookup(parent, name).orElseThrow(() -> new VfsException(Errno.ENOENT));
                attr = meta.getAttr(entry.ino());
                existed = true;
            }
            long handle = openHandle(attr.ino(), flags, !existed);
            if (existed && (flags & Mode.O_TRUNC) != 0 && Mode.writable(flags) && attr.type() == InodeType.FILE) {
                truncate(meta.getAttr(attr.ino()), 0, new InodeUpdate(), now());
            }
            return new Created(withOpenState(meta.getAttr(attr.ino())), handle);
        });
    }

    private Attr createNamed(long parent, String name, InodeType type, int mode, long rdev, String symlink,
                             long length, Caller caller) {
        checkName(name);
        if (meta.lookup(parent, name).isPresent()) {
            throw new VfsException(Errno.EEXIST);
        }
        return createAbsent(parent, name, type, mode, rdev, symlink, length, caller);
    }

    /** Creates the inode with its dentry; the caller has seen that the name does not exist. */
    private Attr createAbsent(long parent, String name, InodeType type, int mode, long rdev, String symlink,
                              long length, Caller caller) {
        Attr dir = meta.getAttr(parent);
        if (!dir.isDirectory()) {
            throw new VfsException(Errno.ENOTDIR);
        }
        if (dir.nlink() == 0) {
            throw new VfsException(Errno.ENOENT);
        }
        int gid = caller.gid();
        if ((dir.mode() & Mode.S_ISGID) != 0) {
            gid = dir.gid();
            if (type == InodeType.DIRECTORY) {
                mode |= Mode.S_ISGID;
            }
        }
        return meta.create(name, new NewInode(type, mode, caller.uid(), gid, parent, rdev, symlink, length, now()));
    }

    public Attr link(long ino, long newParent, String newName) {
        return guarded(() -> {
            checkName(newName);
            Attr attr = meta.fetchAttr(ino);
            if (attr.isDirectory()) {
                throw new VfsException(Errno.EPERM);
            }
            Attr dir = meta.getAttr(newParent);
            if (!dir.isDirectory()) {
                throw new VfsException(Errno.ENOTDIR);
            }
            if (meta.lookup(newParent, newName).isPresent()) {
                throw new VfsException(Errno.EEXIST);
            }
            long now = now();
            List<Long> parents = new ArrayList<>(attr.parents());
            parents.add(newParent);
            meta.addNlink(ino, 1, new InodeUpdate().ctime(now).parents(parents));
            try {
                meta.createDentry(newParent, newName, ino, attr.type(), now);
            } catch (MetaException e) {
                meta.addNlink(ino, -1, new InodeUpdate().parents(attr.parents()));
                throw e;
            }
            return withOpenState(meta.getAttr(ino));
        });
    }

    public String readlink(long ino) {
        return guarded(() -> {
            Attr attr = meta.getAttr(ino);
            if (attr.type() != InodeType.SYMLINK) {
                throw new VfsException(Errno.EINVAL);
            }
            return attr.symlink();
        });
    }

    // ---- removing names

    public void unlink(long parent, String name) {
        guarded(() -> {
            checkName(name);
            DirEntry entry = meta.lookup(parent, name).orElseThrow(() -> new VfsException(Errno.ENOENT));
            if (entry.type() == InodeType.DIRECTORY) {
                throw new VfsException(Errno.EISDIR);
            }
            boolean open = openFiles.containsKey(entry.ino());
            Unlinked unlinked = meta.unlink(parent, name, entry.ino(), entry.type(), open, now());
            if (!unlinked.linkDropped()) {
                dropLink(unlinked.ino(), parent);
            } else if (unlinked.deleted()) {
                usageDelta.addAndGet(unlinked.after() == null ? 0 : -unlinked.after().length());
                deleteObjects(unlinked.ino(), unlinked.chunks());
            } else if (unlinked.after().nlink() == 0) {
                lastLinkGone(unlinked.ino(), unlinked.after().length());
            }
            return null;
        });
    }

    /**
     * Removes an empty directory: its name and its inode in one metaserver request where the
     * directory lives in its parent's partition; the metaserver checks the emptiness again in
     * that same step, so a create racing from another mount cannot be left under a removed
     * directory. The listing check before it serves directories in other partitions and older
     * metaservers, which remove only the name (the inode is then deleted here).
     */
    public void rmdir(long parent, String name) {
        guarded(() -> {
            if (name.equals(".")) {
                throw new VfsException(Errno.EINVAL);
            }
            if (name.equals("..")) {
                throw new VfsException(Errno.ENOTEMPTY);
            }
            checkName(name);
            DirEntry entry = meta.lookup(parent, name).orElseThrow(() -> new VfsException(Errno.ENOENT));
            if (entry.type() != InodeType.DIRECTORY) {
                throw new VfsException(Errno.ENOTDIR);
            }
            if (!meta.listDentries(entry.ino(), "", 1).isEmpty()) {
                throw new VfsException(Errno.ENOTEMPTY);
            }
            Unlinked unlinked = meta.unlink(parent, name, entry.ino(), InodeType.DIRECTORY, false, now());
            if (!unlinked.deleted() && unlinked.ino() == entry.ino()) {
                deleteQuietly(entry.ino());
            }
            return null;
        });
    }

    /**
     * One name of {@code ino} in {@code parent} is gone and the metadata service did not drop its
     * link with it (the inode lives in another partition): lower nlink, delete at 0 unless open.
     * The parents list only matters while names remain, so it is read and rewritten only for a
     * file that had several names (as the cached attributes, from the lookup that precedes every
     * unlink, say, or as the metaserver answers); a file's last unlink reads nothing.
     */
    private void dropLink(long ino, long parent) {
        Attr attr = meta.getAttr(ino);
        boolean manyNames = attr.nlink() > 1;
        InodeUpdate update = new InodeUpdate().ctime(now());
        if (manyNames) {
            attr = meta.fetchAttr(ino);
            update.parents(without(attr.parents(), parent));
        }
        int nlink = meta.addNlink(ino, -1, update);
        if (nlink > 0) {
            if (!manyNames) {
                meta.updateInode(ino, new InodeUpdate().parents(without(meta.fetchAttr(ino).parents(), parent)));
            }
            return;
        }
        lastLinkGone(ino, attr.length());
    }

    /**
     * The last name of {@code ino} is gone: it is deleted now, or at the release of its last handle
     * if open here. An unlink that finds the file not open asks the metadata service to delete it
     * at once; an open racing with that unlink may then find it gone, as it may when it races
     * with the deletion here.
     */
    private void lastLinkGone(long ino, long length) {
        OpenFile open = openFiles.get(ino);
        if (open != null) {
            synchronized (open) {
                if (open.handles > 0) {
                    open.unlinked = true;
                    return;
                }
            }
        }
        usageDelta.addAndGet(-length);
        deleteFile(ino);
    }

    private static List<Long> without(List<Long> parents, long parent) {
        List<Long> rest = new ArrayList<>(parents);
        rest.remove(Long.valueOf(parent));
        return rest;
    }

    public void rename(long oldParent, String oldName, long newParent, String newName) {
        guarded(() -> {
            checkName(oldName);
            checkName(newName);
            DirEntry source = meta.lookup(oldParent, oldName).orElseThrow(() -> new VfsException(Errno.ENOENT));
            if (oldParent == newParent && oldName.equals(newName)) {
                return null;
            }
            if (oldParent != newParent && !meta.getAttr(newParent).isDirectory()) {
                throw new VfsException(Errno.ENOTDIR);
            }
            if (source.type() == InodeType.DIRECTORY) {
                checkNotInside(source.ino(), newParent);
            }
            Optional<DirEntry> target = meta.lookup(newParent, newName);
            long now = now();
            if (target.isPresent()) {
                DirEntry replaced = target.get();
                if (replaced.ino() == source.ino()) {
                    return null;
                }
                boolean sourceIsDir = source.type() == InodeType.DIRECTORY;
                boolean targetIsDir = replaced.type() == InodeType.DIRECTORY;
                if (sourceIsDir && !targetIsDir) {
                    throw new VfsException(Errno.ENOTDIR);
                }
                if (!sourceIsDir && targetIsDir) {
                    throw new VfsException(Errno.EISDIR);
                }
                if (targetIsDir && !meta.listDentries(replaced.ino(), "", 1).isEmpty()) {
                    throw new VfsException(Errno.ENOTEMPTY);
                }
            }
            RenameResult renamed = meta.rename(oldParent, oldName, newParent, newName, source, now);
            Optional<DirEntry> replaced = renamed.replaced();
            if (replaced.isPresent() && replaced.get().ino() != source.ino()) {
                long ino = replaced.get().ino();
                if (replaced.get().type() == InodeType.DIRECTORY) {
                    deleteQuietly(ino);
                } else if (renamed.replacedNlink().isEmpty()) {
                    dropLink(ino, newParent);
                } else if (renamed.replacedNlink().getAsInt() == 0) {
                    lastLinkGone(ino, meta.getAttr(ino).length());
                }
            }
            return null;
        });
    }

    /** EINVAL when {@code dir} is {@code ancestor} or below it (a directory moved into itself). */
    private void checkNotInside(long ancestor, long dir) {
        long current = dir;
        for (int depth = 0; depth < MAX_DEPTH && current != meta.rootIno(); depth++) {
            if (current == ancestor) {
                throw new VfsException(Errno.EINVAL);
            }
            List<Long> parents = meta.getAttr(current).parents();
            if (parents.isEmpty()) {
                return;
            }
            current = parents.get(0);
        }
    }

    // ---- open files

    public long open(long ino, int flags) {
        return guarded(() -> {
            Attr attr = Mode.writable(flags) || data.holdsChunkLists(ino) ? meta.fetchAttr(ino)
                    : meta.fetchAttrForReading(ino);
            if (attr.isDirectory() && Mode.writable(flags)) {
                throw new VfsException(Errno.EISDIR);
            }
            long handle = openHandle(ino, flags, false);
            if (attr.type() == InodeType.FILE && !Mode.writable(flags) && !keepsCache(handle)) {
                data.openedForReading(ino, attr.length());
            }
            if ((flags & Mode.O_TRUNC) != 0 && Mode.writable(flags) && attr.type() == InodeType.FILE) {
                truncate(meta.getAttr(ino), 0, new InodeUpdate(), now());
            }
            return handle;
        });
    }

    private long openHandle(long ino, int flags, boolean created) {
        Attr attr = meta.getAttr(ino);
        boolean[] unchanged = {false};
        OpenFile open = openFiles.compute(ino, (k, existing) -> {
            OpenFile file = existing != null ? existing : new OpenFile(ino, attr.length());
            synchronized (file) {
                if (!created && !file.dirty) {
                    unchanged[0] = data.revalidate(ino, attr.mtime(), attr.length());
                }
                if (!file.dirty) {
                    file.length = attr.length();
                    file.persistedLength = attr.length();
                }
                file.handles++;
            }
            return file;
        });
        long handle = nextHandle.getAndIncrement();
        handles.put(handle, new Handle(open.ino, flags, unchanged[0]));
        return handle;
    }

    /** Whether the kernel may keep the file's cached pages for this handle: unchanged since the last open. */
    public boolean keepsCache(long handle) {
        Handle h = handles.get(handle);
        return h != null && h.keepCache();
    }

    public int read(long handle, long offset, ByteBuffer dst) {
        return guarded(() -> {
            Handle h = handle(handle);
            OpenFile open = openFiles.get(h.ino());
            int n = data.read(h.ino(), open.length, offset, dst);
            if (h.readSeen().compareAndSet(false, true)) {
                touchAtime(h.ino());
            }
            return n;
        });
    }

    public int write(long handle, long offset, ByteBuffer src) {
        return guarded(() -> {
            Handle h = handle(handle);
            if (!Mode.writable(h.flags())) {
                throw new VfsException(Errno.EBADF);
            }
            OpenFile open = openFiles.get(h.ino());
            int count = src.remaining();
            synchronized (open) {
                long at = (h.flags() & Mode.O_APPEND) != 0 ? open.length : offset;
                data.write(h.ino(), at, src);
                open.length = Math.max(open.length, at + count);
                long now = now();
                open.mtime = now;
                open.ctime = now;
                open.dirty = true;
            }
            return count;
        });
    }

    public void flush(long handle) {
        guarded(() -> {
            flushInode(handle(handle).ino());
            return null;
        });
    }

    public void fsync(long handle) {
        flush(handle);
    }

    /**
     * fallocate(2) modes 0 and FALLOC_FL_KEEP_SIZE. Objects in S3 are written on demand, so there
     * is no space to reserve: mode 0 extends the length (the new bytes read as zeros, like
     * truncate up), KEEP_SIZE changes nothing. Punching holes, zeroing, collapsing and inserting
     * ranges are not supported.
     */
    public void fallocate(long handle, int mode, long offset, long length) {
        guarded(() -> {
            Handle h = handle(handle);
            if ((mode & ~Mode.FALLOC_FL_KEEP_SIZE) != 0) {
                throw new VfsException(Errno.EOPNOTSUPP);
            }
            if (offset < 0 || length <= 0) {
                throw new VfsException(Errno.EINVAL);
            }
            if (!Mode.writable(h.flags())) {
                throw new VfsException(Errno.EBADF);
            }
            long end = offset + length;
            if (end < 0) {
                throw new VfsException(Errno.EFBIG);
            }
            OpenFile open = openFiles.get(h.ino());
            if (mode == 0 && end > open.length) {
                setattr(h.ino(), SetAttr.truncate(end));
            }
            return null;
        });
    }

    private void flushInode(long ino) {
        flushInode(ino, null);
    }

    /**
     * Makes the inode's buffered data durable: a dirty file's chunk infos, length and times go
     * in one UpdateInode, merged with {@code change} (whose times win), which is otherwise sent
     * on its own; {@code change} may be null.
     */
    private void flushInode(long ino, InodeUpdate change) {
        OpenFile open = openFiles.get(ino);
        if (open == null) {
            if (change != null) {
                meta.updateInode(ino, change);
            }
            return;
        }
        synchronized (open) {
            if (!open.dirty) {
                data.flush(ino);
                if (change != null) {
                    meta.updateInode(ino, change);
                }
                return;
            }
            InodeUpdate update = (change != null ? change : new InodeUpdate()).length(open.length);
            if (update.mtime() == null) {
                update.mtime(open.mtime);
            }
            if (update.ctime() == null) {
                update.ctime(open.ctime);
            }
            data.flush(ino, added -> meta.updateInode(ino, update.chunksAdded(added)));
            usageDelta.addAndGet(open.length - open.persistedLength);
            open.persistedLength = open.length;
            open.mtime = update.mtime();
            open.ctime = update.ctime();
            open.dirty = false;
        }
    }

    public void release(long handle) {
        guarded(() -> {
            Handle h = handles.remove(handle);
            if (h == null) {
                throw new VfsException(Errno.EBADF);
            }
            flushInode(h.ino());
            boolean[] deleteNow = {false};
            openFiles.computeIfPresent(h.ino(), (k, file) -> {
                synchronized (file) {
                    file.handles--;
                    if (file.handles > 0) {
                        return file;
                    }
                    deleteNow[0] = file.unlinked;
                    if (file.unlinked) {
                        usageDelta.addAndGet(-file.persistedLength);
                    }
                    return null;
                }
            });
            if (deleteNow[0]) {
                deleteFile(h.ino());
            }
            return null;
        });
    }

    /** Makes every open file's data and attributes durable (before unmount). */
    public void flushAll() {
        for (Long ino : List.copyOf(openFiles.keySet())) {
            try {
                flushInode(ino);
            } catch (RuntimeException e) {
                LOG.error("flushing inode {} failed: {}", ino, e.getMessage());
            }
        }
    }

    private Handle handle(long handle) {
        Handle h = handles.get(handle);
        if (h == null) {
            throw new VfsException(Errno.EBADF);
        }
        return h;
    }

    // ---- directories and the file system

    /**
     * A page of the directory with its entries' attributes: they give the real file type (a
     * dentry only tells file, directory or symlink, not FIFO or device), and they land in the
     * attribute cache, so the stat calls that usually follow a listing (ls -l) are answered
     * without another round trip. Most come with the listing; the rest (inodes in other
     * partitions) in one batch. An inode gone meanwhile keeps its dentry's type.
     */
    private List<DirListing> listWithAttrs(long dir, String after, int max) {
        List<DirEntry> page = meta.listDentriesWithAttrs(dir, after, max).stream().map(LookupResult::entry).toList();
        Map<Long, Attr> attrs = page.isEmpty() ? Map.of() : meta.batchGetAttr(page.stream().map(DirEntry::ino).toList());
        List<DirListing> listed = new ArrayList<>(page.size());
        for (DirEntry e : page) {
            Attr attr = attrs.get(e.ino());
            listed.add(new DirListing(e.name(), e.ino(), attr != null ? attr.mode() & Mode.S_IFMT : Mode.typeBits(e.type())));
        }
        return listed;
    }

    /** Opens a directory for reading by position; see {@link #readdirAt}. */
    public long opendir(long ino) {
        return guarded(() -> {
            if (!meta.getAttr(ino).isDirectory()) {
                throw new VfsException(Errno.ENOTDIR);
            }
            long handle = nextHandle.getAndIncrement();
            dirStreams.put(handle, new DirStream(ino, (after, count) -> listWithAttrs(ino, after, count), DIR_PAGE));
            return handle;
        });
    }

    /** The entry at {@code index} (0 = first) of an open directory, or empty past its end. */
    public Optional<DirListing> readdirAt(long dirHandle, long index) {
        return guarded(() -> {
            DirStream stream = dirStreams.get(dirHandle);
            if (stream == null) {
                throw new VfsException(Errno.EBADF);
            }
            if (index == 0) {
                touchAtime(stream.ino());
            }
            return Optional.ofNullable(stream.entryAt(index));
        });
    }

    public void releasedir(long dirHandle) {
        dirStreams.remove(dirHandle);
    }

    public FsStats statfs() {
        return guarded(stats::get);
    }

    /** Bytes added (or removed, if negative) since the last call; reported to the MDS. */
    public long drainUsageDelta() {
        return usageDelta.getAndSet(0);
    }

    // ---- extended attributes

    public byte[] getxattr(long ino, String name) {
        return guarded(() -> {
            checkXattrName(name);
            Optional<byte[]> control = controlXattrs.get(ino, name);
            if (control.isPresent()) {
                return control.get();
            }
            byte[] value = meta.getXattrs(ino).get(name);
            if (value == null) {
                throw new VfsException(Errno.ENODATA);
            }
            return value;
        });
    }

    public List<String> listxattr(long ino) {
        return guarded(() -> controlXattrs.list(ino, List.copyOf(meta.getXattrs(ino).keySet())));
    }

    public void setxattr(long ino, String name, byte[] value, int flags) {
        guarded(() -> {
            checkXattrName(name);
            if (value.length > XATTR_SIZE_MAX) {
                throw new VfsException(Errno.E2BIG);
            }
            if (controlXattrs.set(ino, name, value)) {
                return null;
            }
            synchronized (xattrLock) {
                Map<String, byte[]> xattrs = new HashMap<>(meta.getXattrs(ino));
                boolean exists = xattrs.containsKey(name);
                if ((flags & Mode.XATTR_CREATE) != 0 && exists) {
                    throw new VfsException(Errno.EEXIST);
                }
                if ((flags & Mode.XATTR_REPLACE) != 0 && !exists) {
                    throw new VfsException(Errno.ENODATA);
                }
                xattrs.put(name, value.clone());
                meta.setXattrs(ino, xattrs, now());
            }
            return null;
        });
    }

    public void removexattr(long ino, String name) {
        guarded(() -> {
            checkXattrName(name);
            synchronized (xattrLock) {
                Map<String, byte[]> xattrs = new HashMap<>(meta.getXattrs(ino));
                if (xattrs.remove(name) == null) {
                    throw new VfsException(Errno.ENODATA);
                }
                meta.setXattrs(ino, xattrs, now());
            }
            return null;
        });
    }

    // ---- helpers

    private static void checkName(String name) {
        if (name.isEmpty() || name.indexOf('/') >= 0) {
            throw new VfsException(Errno.EINVAL);
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > NAME_MAX) {
            throw new VfsException(Errno.ENAMETOOLONG);
        }
    }

    private static void checkXattrName(String name) {
        if (name.isEmpty()) {
            throw new VfsException(Errno.EINVAL);
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > XATTR_NAME_MAX) {
            throw new VfsException(Errno.ERANGE);
        }
        if (name.startsWith(POSIX_ACL_PREFIX)) {
            // No ACLs: tools such as cp -a then fall back to chmod, which keeps the mode right.
            throw new VfsException(Errno.EOPNOTSUPP);
        }
    }

    /**
     * relatime, as Linux mounts by default: a read sets atime only when atime is not newer than
     * mtime or ctime, or is a day old, so that reading costs a metadata write at most once per
     * change. Asked on the first read of each handle (and the first page of a listing), not on
     * every read. A failure to record it never fails the read. A noatime mount records none.
     */
    private void touchAtime(long ino) {
        if (!recordsAtime) {
            return;
        }
        try {
            Attr attr = withOpenState(meta.getAttr(ino));
            long now = now();
            if (attr.atime() <= attr.mtime() || attr.atime() <= attr.ctime() || now - attr.atime() >= RELATIME_AGE) {
                meta.updateInodeInBackground(ino, new InodeUpdate().atime(now));
            }
        } catch (RuntimeException e) {
            LOG.debug("atime of inode {} not updated: {}", ino, e.toString());
        }
    }

    /**
     * Deletes a file whose last name and last handle are gone: the inode, whose deletion answers
     * with its chunk lists, then the data objects they name. Objects that cannot be deleted are
     * logged and left as garbage (named by nothing); the file is gone either way.
     */
    private void deleteFile(long ino) {
        Map<Long, List<S3ChunkInfo>> chunks;
        try {
            chunks = meta.deleteInodeWithChunks(ino);
        } catch (MetaException e) {
            LOG.warn("inode {} left behind: {}", ino, e.getMessage());
            return;
        }
        deleteObjects(ino, chunks);
    }

    /** Deletes the data objects of a deleted inode, named by the chunk lists it had. */
    private void deleteObjects(long ino, Map<Long, List<S3ChunkInfo>> chunks) {
        try {
            data.delete(ino, chunks);
        } catch (RuntimeException e) {
            LOG.warn("objects of inode {} left behind: {}", ino, e.getMessage());
        }
    }

    private void deleteQuietly(long ino) {
        try {
            meta.deleteInode(ino);
        } catch (MetaException e) {
            LOG.warn("inode {} left behind: {}", ino, e.getMessage());
        }
    }

    static long now() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** Runs one operation, turning metadata and data failures into errnos. */
    private static <T> T guarded(Supplier<T> operation) {
        try {
            return operation.get();
        } catch (VfsException e) {
            throw e;
        } catch (MetaException e) {
            Errno errno = switch (e.kind()) {
                case NOT_FOUND -> Errno.ENOENT;
                case EXISTS -> Errno.EEXIST;
                case NOT_EMPTY -> Errno.ENOTEMPTY;
                case NO_SPACE -> Errno.ENOSPC;
                case UNAVAILABLE, FAILED -> Errno.EIO;
            };
            if (errno == Errno.EIO) {
                LOG.error("I/O error: {}", e.getMessage());
            }
            throw new VfsException(errno, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("I/O error: {}", e.toString());
            throw new VfsException(Errno.EIO, e.toString());
        }
    }
}
