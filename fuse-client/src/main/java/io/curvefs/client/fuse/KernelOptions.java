package io.curvefs.client.fuse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mount options of the kernel binding, read from {@link FuseOptions}: mount(2) flags, the
 * options the kernel's fuse file system takes, and those this binding applies itself (timeouts,
 * caching). libfuse-only options that mean nothing here are accepted and logged, so an fstab line
 * written for the libfuse binding still mounts; anything unknown is refused with its name.
 *
 * @param flags         mount(2) flags
 * @param kernelOptions the data string after fd, rootmode, user_id and group_id
 * @param source        the device name shown in the mount table
 * @param type          the file system type ({@code fuse.SUBTYPE})
 * @param readAheadKib  the kernel's read-ahead window for the mount, in KiB
 */
record KernelOptions(long flags, String kernelOptions, String source, String type, Duration attrTimeout,
                     Duration entryTimeout, boolean keepCache, boolean directIo, int readAheadKib) {

    /** The kernel's read-ahead window for the mount, unless {@code -o read_ahead_kb=} says otherwise. */
    static final int DEFAULT_READ_AHEAD_KIB = 4096;

    private static final Logger LOG = LoggerFactory.getLogger(KernelOptions.class);
    /** libfuse options that this binding does by itself or that have no meaning here. */
    private static final Set<String> LIBFUSE_ONLY = Set.of("use_ino", "big_writes", "hard_remove", "nonempty",
            "large_read", "auto_cache", "async_read", "sync_read", "atomic_o_trunc", "no_remote_lock",
            "splice_read", "splice_write", "splice_move", "readdir_ino", "allow_root", "auto_unmount");
    private static final Set<String> LIBFUSE_ONLY_VALUED = Set.of("max_write", "max_background",
            "congestion_threshold", "negative_timeout", "umask", "uid", "gid", "modules", "noforget",
            "remember", "intr_signal", "ac_attr_timeout", "max_readahead");

    static KernelOptions of(FuseOptions options) {
        long flags = FuseDevice.MS_NOSUID | FuseDevice.MS_NODEV;
        List<String> kernel = new ArrayList<>(List.of("default_permissions"));
        if (options.multiUser()) {
            kernel.add("allow_other");
        }
        String source = "curvefs";
        String type = "fuse.curvefs";
        Duration attr = options.kernelAttrTimeout();
        Duration entry = options.kernelEntryTimeout();
        boolean keepCache = false;
        boolean directIo = false;
        int readAheadKib = DEFAULT_READ_AHEAD_KIB;
        for (String option : options.mountOptions()) {
            int eq = option.indexOf('=');
            String key = eq < 0 ? option : option.substring(0, eq);
            String value = eq < 0 ? "" : option.substring(eq + 1);
            switch (key) {
                case "ro" -> flags |= FuseDevice.MS_RDONLY;
                case "rw", "relatime", "atime", "default_permissions" -> {
                }
                case "suid" -> flags &= ~FuseDevice.MS_NOSUID;
                case "nosuid" -> flags |= FuseDevice.MS_NOSUID;
                case "dev" -> flags &= ~FuseDevice.MS_NODEV;
                case "nodev" -> flags |= FuseDevice.MS_NODEV;
                case "noexec" -> flags |= FuseDevice.MS_NOEXEC;
                case "exec" -> flags &= ~FuseDevice.MS_NOEXEC;
                case "sync" -> flags |= FuseDevice.MS_SYNCHRONOUS;
                case "async" -> flags &= ~FuseDevice.MS_SYNCHRONOUS;
                case "dirsync" -> flags |= FuseDevice.MS_DIRSYNC;
                case "noatime" -> flags |= FuseDevice.MS_NOATIME;
                case "nodiratime" -> flags |= FuseDevice.MS_NODIRATIME;
                case "allow_other" -> {
                    if (!kernel.contains("allow_other")) {
                        kernel.add("allow_other");
                    }
                }
                case "max_read", "blksize" -> kernel.add(key + "=" + Long.parseLong(value));
                case "fsname" -> source = value;
                case "subtype" -> type = "fuse." + value;
                case "attr_timeout" -> attr = seconds(key, value);
                case "entry_timeout" -> entry = seconds(key, value);
                case "kernel_cache" -> keepCache = true;
                case "direct_io" -> directIo = true;
                case "read_ahead_kb" -> readAheadKib = Integer.parseInt(value);
                default -> {
                    if (LIBFUSE_ONLY.contains(key) || LIBFUSE_ONLY_VALUED.contains(key)) {
                        LOG.info("FUSE option '{}' has no effect with the kernel binding", option);
                    } else {
                        throw new IllegalArgumentException("unknown FUSE mount option '" + option + "'");
                    }
                }
            }
        }
        return new KernelOptions(flags, String.join(",", kernel), source, type, attr, entry, keepCache, directIo,
                readAheadKib);
    }

    private static Duration seconds(String key, String value) {
        try {
            double s = Double.parseDouble(value);
            if (s < 0 || Double.isNaN(s)) {
                throw new NumberFormatException();
            }
            return Duration.ofNanos(Math.round(s * 1e9));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("FUSE option " + key + " needs seconds, not '" + value + "'");
        }
    }
}
