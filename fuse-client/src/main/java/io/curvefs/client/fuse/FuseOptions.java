package io.curvefs.client.fuse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The FUSE mount options of a CurveFS mount, for either binding.
 *
 * <p>The kernel binding (root only: it calls mount(2)) gives the kernel one node per inode, so the
 * kernel may cache names and attributes for the configured timeouts. libfuse's high-level API
 * (the libfuse binding, used without root or with {@code -o binding=libfuse}) gives each name its
 * own kernel node, so with kernel attribute caching a change made through one name of a hard link
 * stays unseen through the other names until the timeout; that binding therefore gives the kernel
 * timeouts of 0 unless {@code -o attr_timeout=}/{@code entry_timeout=} say otherwise.
 *
 * @param kernelAttrTimeout  attr_timeout given to the kernel (kernel binding)
 * @param kernelEntryTimeout entry_timeout given to the kernel (kernel binding)
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
    /** The mount option that selects the libfuse binding even for root. */
    public static final String LIBFUSE_BINDING = "binding=libfuse";
    private static final String BINDING_PREFIX = "binding=";
    /**
     * Asynchronous requests (kernel read-ahead) the kernel keeps in flight; its default of 12
     * leaves the daemon's threads idle while a sequential reader waits.
     */
    public static final int MAX_BACKGROUND = 64;

    public static FuseOptions defaults(boolean runningAsRoot) {
        return new FuseOptions(Duration.ZERO, Duration.ZERO, runningAsRoot);
    }

    /** Whether to mount with the kernel binding: as root, unless {@code -o binding=libfuse} says otherwise. */
    public boolean kernelBinding(boolean runningAsRoot) {
        String chosen = "binding=" + (runningAsRoot ? "kernel" : "libfuse");
        for (String option : extra) {
            if (option.startsWith(BINDING_PREFIX)) {
                chosen = option;
            }
        }
        if (!chosen.equals(LIBFUSE_BINDING) && !chosen.equals("binding=kernel")) {
            throw new IllegalArgumentException("unknown FUSE binding '" + chosen.substring(BINDING_PREFIX.length())
                    + "' (kernel or libfuse)");
        }
        if (chosen.equals("binding=kernel") && !runningAsRoot) {
            throw new IllegalArgumentException("the kernel FUSE binding needs root (it calls mount(2))");
        }
        return chosen.equals("binding=kernel");
    }

    /** The extra options without the binding choice. */
    List<String> mountOptions() {
        return extra.stream().filter(option -> !option.startsWith(BINDING_PREFIX)).toList();
    }

    /** The arguments after the program name, for libfuse's option parser (the libfuse binding). */
    public List<String> arguments() {
        List<String> options = new ArrayList<>(List.of("use_ino", "big_writes", "hard_remove",
                "max_read=" + MAX_IO, "max_write=" + MAX_IO, "attr_timeout=0", "entry_timeout=0",
                "negative_timeout=0", "fsname=curvefs", "subtype=curvefs", "default_permissions",
                "max_background=" + MAX_BACKGROUND, "congestion_threshold=" + MAX_BACKGROUND * 3 / 4));
        if (multiUser) {
            options.add("allow_other");
        }
        options.addAll(mountOptions());
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
}
