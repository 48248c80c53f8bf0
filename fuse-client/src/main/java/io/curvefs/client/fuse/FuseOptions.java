package io.curvefs.client.fuse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The libfuse mount options of a CurveFS mount.
 *
 * <p>libfuse's high-level API gives each name its own kernel node, so with kernel attribute
 * caching a change made through one name of a hard link stays unseen through the other names
 * until the timeout. The timeout cannot be set per inode in this API, so the default is 0 for
 * both attribute and entry timeouts: the kernel asks the daemon every time, and the daemon's own
 * caches (keyed by inode, so shared by all names) keep that cheap. Larger values are allowed for
 * workloads without hard links.
 *
 * @param kernelAttrTimeout  attr_timeout given to the kernel
 * @param kernelEntryTimeout entry_timeout given to the kernel
 * @param multiUser          adds allow_other (other users reach the mount); meant for mounts made by
 *                           root. default_permissions is always on: the kernel checks mode bits,
 *                           ownership and chown rules against the caller's uid and groups, for the
 *                           mounting user too
 * @param extra              more libfuse options (as given to {@code -o}), placed last so that they
 *                           override the ones above
 */
public record FuseOptions(Duration kernelAttrTimeout, Duration kernelEntryTimeout, boolean multiUser,
                          List<String> extra) {

    public FuseOptions {
        extra = List.copyOf(extra);
    }

    public FuseOptions(Duration kernelAttrTimeout, Duration kernelEntryTimeout, boolean multiUser) {
        this(kernelAttrTimeout, kernelEntryTimeout, multiUser, List.of());
    }

    public static final int MAX_IO = 131072;
    /**
     * Asynchronous requests (kernel read-ahead) the kernel keeps in flight; its default of 12
     * leaves the daemon's threads idle while a sequential reader waits.
     */
    public static final int MAX_BACKGROUND = 64;

    public static FuseOptions defaults(boolean runningAsRoot) {
        return new FuseOptions(Duration.ZERO, Duration.ZERO, runningAsRoot);
    }

    /** The arguments after the program name, for libfuse's option parser. */
    public List<String> arguments() {
        List<String> options = new ArrayList<>(List.of("use_ino", "big_writes", "hard_remove",
                "max_read=" + MAX_IO, "max_write=" + MAX_IO,
                "attr_timeout=" + seconds(kernelAttrTimeout), "entry_timeout=" + seconds(kernelEntryTimeout),
                "negative_timeout=0", "fsname=curvefs", "subtype=curvefs", "default_permissions",
                "max_background=" + MAX_BACKGROUND, "congestion_threshold=" + MAX_BACKGROUND * 3 / 4));
        if (multiUser) {
            options.add("allow_other");
        }
        options.addAll(extra);
        return List.of("-o", String.join(",", options));
    }

    /** Splits a comma-separated {@code -o} value (several {@code -o} may be given) into options. */
    public static List<String> parseList(List<String> values) {
        List<String> options = new ArrayList<>();
        for (String value : values) {
            for (String option : value.split(",")) {
                if (!option.isBlank()) {
                    options.add(option.trim());
                }
            }
        }
        return options;
    }

    private static String seconds(Duration d) {
        return String.valueOf(d.toMillis() / 1000.0);
    }
}
