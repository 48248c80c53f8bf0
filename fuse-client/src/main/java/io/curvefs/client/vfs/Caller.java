package io.curvefs.client.vfs;

/** Who makes a call (from the FUSE request): owner of what it creates, subject of access checks. */
public record Caller(int uid, int gid) {
    public static final Caller ROOT = new Caller(0, 0);

    public boolean isRoot() {
        return uid == 0;
    }
}
