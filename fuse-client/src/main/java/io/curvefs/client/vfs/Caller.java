package io.curvefs.client.vfs;

import java.util.List;

/**
 * Who makes a call (from the FUSE request): owner of what it creates, subject of access checks.
 *
 * @param groups the supplementary groups; FUSE requests do not carry them, so the FUSE adapters read
 *               them from /proc of the calling process, and only for calls that check permissions
 */
public record Caller(int uid, int gid, List<Integer> groups) {
    public static final Caller ROOT = new Caller(0, 0);

    public Caller {
        groups = List.copyOf(groups);
    }

    public Caller(int uid, int gid) {
        this(uid, gid, List.of());
    }

    public boolean isRoot() {
        return uid == 0;
    }

    /** Whether {@code group} is the caller's primary or one of its supplementary groups. */
    public boolean inGroup(int group) {
        return gid == group || groups.contains(group);
    }
}
