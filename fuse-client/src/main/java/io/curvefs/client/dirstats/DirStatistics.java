package io.curvefs.client.dirstats;

import io.curvefs.client.meta.Attr;
import io.curvefs.client.meta.DirEntry;
import io.curvefs.client.meta.InodeType;
import io.curvefs.client.meta.MetaClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Directory statistics answered as upstream's summary xattrs: {@code curve.dir.files},
 * {@code subdirs}, {@code entries}, {@code fbytes} for the directory's own entries and
 * {@code rfiles}, {@code rsubdirs}, {@code rentries}, {@code rfbytes} for everything below it.
 * They are computed on each getxattr by listing the tree (upstream's enableSumInDir=false mode),
 * so they are exact at that moment and cost one listing per directory; nothing is stored. A file
 * with several names counts once per name, as upstream does. Values are decimal text.
 */
public final class DirStatistics {

    public static final String PREFIX = "curve.dir.";
    /** The names listxattr adds on every directory (as upstream, the recursive ones). */
    public static final List<String> LISTED = List.of(PREFIX + "rfiles", PREFIX + "rsubdirs", PREFIX + "rentries",
            PREFIX + "rfbytes");
    private static final int PAGE = 1024;

    private final MetaClient meta;

    public DirStatistics(MetaClient meta) {
        this.meta = meta;
    }

    /** Whether {@code name} is one of the statistics names. */
    public static boolean isStatistic(String name) {
        return switch (name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : "") {
            case "files", "subdirs", "entries", "fbytes", "rfiles", "rsubdirs", "rentries", "rfbytes" -> true;
            default -> false;
        };
    }

    /** The value of statistic {@code name} of directory {@code dir}, empty when {@code dir} is not a directory. */
    public Optional<byte[]> value(long dir, String name) {
        if (!meta.getAttr(dir).isDirectory()) {
            return Optional.empty();
        }
        String stat = name.substring(PREFIX.length());
        boolean recursive = stat.startsWith("r");
        Summary s = recursive ? tree(dir) : level(dir, new ArrayList<>());
        long value = switch (recursive ? stat.substring(1) : stat) {
            case "files" -> s.files;
            case "subdirs" -> s.subdirs;
            case "entries" -> s.files + s.subdirs;
            default -> s.fbytes;
        };
        return Optional.of(Long.toString(value).getBytes(StandardCharsets.US_ASCII));
    }

    private Summary tree(long dir) {
        Summary total = new Summary();
        Deque<Long> pending = new ArrayDeque<>(List.of(dir));
        while (!pending.isEmpty()) {
            List<Long> subdirs = new ArrayList<>();
            total.add(level(pending.poll(), subdirs));
            pending.addAll(subdirs);
        }
        return total;
    }

    /** The counts of one directory's entries; its sub-directories are added to {@code subdirs}. */
    private Summary level(long dir, List<Long> subdirs) {
        Summary s = new Summary();
        meta.forEachDentryPage(dir, PAGE, page -> {
            List<Long> files = new ArrayList<>();
            for (DirEntry e : page) {
                if (e.type() == InodeType.DIRECTORY) {
                    s.subdirs++;
                    subdirs.add(e.ino());
                } else {
                    s.files++;
                    files.add(e.ino());
                }
            }
            if (!files.isEmpty()) {
                Map<Long, Attr> attrs = meta.batchGetAttr(files);
                for (Long ino : files) {
                    Attr a = attrs.get(ino);
                    s.fbytes += a == null ? 0 : a.length();
                }
            }
        });
        return s;
    }

    private static final class Summary {
        long files;
        long subdirs;
        long fbytes;

        void add(Summary other) {
            files += other.files;
            subdirs += other.subdirs;
            fbytes += other.fbytes;
        }
    }
}
