package io.curvefs.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** lstat(2) of one path, read through the JDK's "unix" attribute view (times in nanoseconds). */
record Stat(int mode, int nlink, long size, int uid, int gid, long ino, long atime, long mtime, long ctime) {

    static final int S_IFMT = 0170000;
    static final int S_IFREG = 0100000;
    static final int S_IFDIR = 0040000;
    static final int S_IFLNK = 0120000;
    static final int S_IFIFO = 0010000;

    static Stat of(Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
        return new Stat((Integer) a.get("mode"), (Integer) a.get("nlink"), (Long) a.get("size"),
                (Integer) a.get("uid"), (Integer) a.get("gid"), (Long) a.get("ino"),
                nanos(a.get("lastAccessTime")), nanos(a.get("lastModifiedTime")), nanos(a.get("ctime")));
    }

    private static long nanos(Object time) {
        return ((FileTime) time).to(TimeUnit.NANOSECONDS);
    }

    int type() {
        return mode & S_IFMT;
    }

    int permissions() {
        return mode & 07777;
    }
}
