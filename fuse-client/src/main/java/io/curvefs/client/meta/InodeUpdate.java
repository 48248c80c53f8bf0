package io.curvefs.client.meta;

import io.curvefs.proto.metaserver.S3ChunkInfo;
import java.util.List;
import java.util.Map;

/**
 * The fields of one UpdateInode call; null means "leave as is". Times are nanoseconds since
 * the epoch. Chunk infos to append ride along with the attributes, so that a flush makes its
 * data reachable and its length visible in one metaserver step.
 */
public final class InodeUpdate {
    Long length;
    Long atime;
    Long mtime;
    Long ctime;
    Integer uid;
    Integer gid;
    Integer mode;
    Integer nlink;
    List<Long> parents;
    Map<Long, List<S3ChunkInfo>> chunksAdded = Map.of();

    public InodeUpdate length(long value) {
        length = value;
        return this;
    }

    public InodeUpdate atime(long value) {
        atime = value;
        return this;
    }

    public InodeUpdate mtime(long value) {
        mtime = value;
        return this;
    }

    public InodeUpdate ctime(long value) {
        ctime = value;
        return this;
    }

    public InodeUpdate uid(int value) {
        uid = value;
        return this;
    }

    public InodeUpdate gid(int value) {
        gid = value;
        return this;
    }

    public InodeUpdate mode(int value) {
        mode = value;
        return this;
    }

    public InodeUpdate nlink(int value) {
        nlink = value;
        return this;
    }

    public InodeUpdate parents(List<Long> value) {
        parents = List.copyOf(value);
        return this;
    }

    /** Chunk infos (by chunk index) to append to the inode's chunk lists, exactly once. */
    public InodeUpdate chunksAdded(Map<Long, List<S3ChunkInfo>> value) {
        chunksAdded = Map.copyOf(value);
        return this;
    }

    /** Applies these changes to {@code old}, as the metaserver does; used by caches and fakes. */
    public Attr applyTo(Attr old) {
        return new Attr(old.ino(), old.type(),
                mode == null ? old.mode() : mode,
                uid == null ? old.uid() : uid,
                gid == null ? old.gid() : gid,
                nlink == null ? old.nlink() : nlink,
                length == null ? old.length() : length,
                old.rdev(),
                atime == null ? old.atime() : atime,
                mtime == null ? old.mtime() : mtime,
                ctime == null ? old.ctime() : ctime,
                old.symlink(),
                parents == null ? old.parents() : parents);
    }

    public Long length() {
        return length;
    }

    public Long atime() {
        return atime;
    }

    public Long mtime() {
        return mtime;
    }

    public Long ctime() {
        return ctime;
    }

    public Integer uid() {
        return uid;
    }

    public Integer gid() {
        return gid;
    }

    public Integer mode() {
        return mode;
    }

    public Integer nlink() {
        return nlink;
    }

    public List<Long> parents() {
        return parents;
    }

    public Map<Long, List<S3ChunkInfo>> chunksAdded() {
        return chunksAdded;
    }
}
