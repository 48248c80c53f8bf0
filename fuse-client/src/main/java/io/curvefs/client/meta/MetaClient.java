package io.curvefs.client.meta;

import io.curvefs.proto.metaserver.S3ChunkInfo;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The metadata service as the VFS sees it: inodes and dentries of one mounted file system.
 * Implementations route each call to the partition that owns the inode (dentries live with
 * their parent) and throw {@link MetaException} on failure. POSIX rules are not checked
 * here; the VFS owns them.
 */
public interface MetaClient extends AutoCloseable {

    long rootIno();

    /** The dentry {@code name} of directory {@code parent}, if any. */
    Optional<DirEntry> lookup(long parent, String name);

    /** Attributes, possibly from a cache of bounded age. */
    Attr getAttr(long ino);

    /** Attributes read from the metadata service now (close-to-open revalidation). */
    Attr fetchAttr(long ino);

    /**
     * {@link #fetchAttr} for an open that will read the file: a backend that can may fetch the
     * file's chunk lists in the same request and hand them to the data layer's first load.
     */
    Attr fetchAttrForReading(long ino);

    /** Attributes of many inodes; missing inodes are absent from the result. */
    Map<Long, Attr> batchGetAttr(Collection<Long> inos);

    /** Up to {@code count} entries of {@code dir} after the name {@code last} ("" = from the start), by name. */
    List<DirEntry> listDentries(long dir, String last, int count);

    /**
     * Creates an inode and the dentry {@code name} of {@code spec.parent()} naming it; the metaserver
     * updates the parent's times (and nlink for a directory). EXISTS when the name exists: then no
     * inode is left behind.
     */
    Attr create(String name, NewInode spec);

    /** Adds a dentry; the metaserver updates the parent's times (and nlink for a directory child). */
    void createDentry(long parent, String name, long ino, InodeType type, long time);

    /** Removes a dentry; the metaserver updates the parent's times (and nlink for a directory child). */
    void deleteDentry(long parent, String name, InodeType type, long time);

    /**
     * Removes the dentry {@code name} of {@code parent}, meant to name the non-directory {@code ino},
     * and drops that link with it where the metadata service can (nlink - 1, ctime {@code time},
     * {@code parent} out of the inode's parents), deleting the inode when that was its last link
     * unless {@code keepAtLastLink}. The parent's times change as with {@link #deleteDentry}.
     */
    Unlinked unlink(long parent, String name, long ino, InodeType type, boolean keepAtLastLink, long time);

    void updateInode(long ino, InodeUpdate update);

    /**
     * An update that may be lost (atime: relatime already skips most of them): a caching client
     * applies it to its cache at once and sends it off the caller's path, so that a first read
     * does not wait on a replicated write. Others send it now.
     */
    default void updateInodeInBackground(long ino, InodeUpdate update) {
        updateInode(ino, update);
    }

    /**
     * Adds {@code delta} to the nlink of {@code ino} (never below 0), together with {@code update},
     * in one metaserver step: concurrent calls from any mounts all count, and a retried call counts
     * once. Returns the nlink after this call.
     */
    int addNlink(long ino, int delta, InodeUpdate update);

    void deleteInode(long ino);

    /**
     * Deletes a file's inode and returns the chunk lists it had (by chunk index), so that its
     * objects can be deleted without another read; empty when the inode was already gone.
     */
    default Map<Long, List<S3ChunkInfo>> deleteInodeWithChunks(long ino) {
        deleteInode(ino);
        return Map.of();
    }

    Map<String, byte[]> getXattrs(long ino);

    /** Replaces the whole extended-attribute map of the inode and sets its ctime. */
    void setXattrs(long ino, Map<String, byte[]> xattrs, long ctime);

    /**
     * Moves dentry {@code entry} from oldParent/oldName to newParent/newName atomically, replacing
     * whatever newName named; both parents get {@code time} as mtime and ctime (and their nlink
     * when a directory moves), the moved inode {@code time} as ctime and newParent in place of
     * oldParent in its parents. Releasing the replaced entry is the caller's job, except a file's
     * link the result says was already taken. NOT_FOUND when oldName no longer names
     * {@code entry}, NOT_EMPTY when the directory it would replace is found not empty.
     */
    RenameResult rename(long oldParent, String oldName, long newParent, String newName, DirEntry entry, long time);

    /** Inodes in use across the file system (best effort, for statfs). */
    long inodeCount();

    @Override
    void close();

    /** Hands every entry of {@code dir} to {@code page}, {@code pageSize} entries at a time, in name order. */
    default void forEachDentryPage(long dir, int pageSize, Consumer<List<DirEntry>> page) {
        String last = "";
        while (true) {
            List<DirEntry> entries = listDentries(dir, last, pageSize);
            page.accept(entries);
            if (entries.size() < pageSize) {
                return;
            }
            last = entries.get(entries.size() - 1).name();
        }
    }

    /**
     * Like {@link #lookup}, with the child's attributes when the metadata service could give them in
     * the same answer (then a getAttr right after needs no request of its own).
     */
    default Optional<LookupResult> lookupWithAttr(long parent, String name) {
        return lookup(parent, name).map(entry -> new LookupResult(entry, null));
    }

    /**
     * {@link #listDentries}, each entry with its inode's attributes where the metaserver had them
     * at hand for the same answer (else null).
     */
    default List<LookupResult> listDentriesWithAttrs(long dir, String last, int count) {
        return listDentries(dir, last, count).stream().map(entry -> new LookupResult(entry, null)).toList();
    }
}
