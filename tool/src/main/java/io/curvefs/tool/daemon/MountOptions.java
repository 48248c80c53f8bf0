package io.curvefs.tool.daemon;

import io.curvefs.tool.ToolFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code mount -o} style options for {@code curvefs mount}: {@code -o a=1,b,c=2} becomes the
 * flags {@code --a 1 --b --c 2} before parsing. A name may be an option's long name without
 * dashes or its configuration key ({@code fuseClient.attrTimeOut=2}). The generic options mount(8)
 * and /etc/fstab pass along ({@code rw}, {@code _netdev}, {@code noauto}, ...) are accepted and
 * ignored; anything else ({@code ro}, {@code allow_other}, {@code max_read=65536}) is a FUSE
 * option and is handed to the FUSE binding, which rejects what it does not know.
 */
public final class MountOptions {

    private static final Set<String> GENERIC = Set.of("rw", "defaults", "auto", "noauto", "_netdev", "nofail",
            "user", "users", "nouser", "owner", "group", "suid", "nosuid", "dev", "nodev", "exec", "noexec",
            "async", "sync", "atime", "noatime", "relatime", "norelatime", "strictatime", "diratime",
            "nodiratime", "lazytime", "nolazytime", "loud", "silent");

    private static final String FUSE_OPTION = "--fuse-option";

    private MountOptions() {
    }

    /** {@code args} with every {@code -o LIST} / {@code -oLIST} of the mount command turned into flags. */
    public static String[] expand(CommandSpec mount, String[] args) {
        if (args.length == 0 || !args[0].equals(mount.name())) {
            return args;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-o") && i + 1 < args.length) {
                out.addAll(flags(mount, args[++i]));
            } else if (args[i].startsWith("-o") && args[i].length() > 2 && !args[i].startsWith("--")) {
                out.addAll(flags(mount, args[i].substring(2)));
            } else {
                out.add(args[i]);
            }
        }
        return out.toArray(String[]::new);
    }

    private static List<String> flags(CommandSpec mount, String list) {
        List<String> flags = new ArrayList<>();
        for (String item : list.split(",")) {
            if (item.isBlank()) {
                continue;
            }
            int eq = item.indexOf('=');
            String name = eq < 0 ? item : item.substring(0, eq);
            if (eq < 0 && (GENERIC.contains(name) || name.startsWith("x-"))) {
                continue;
            }
            if (name.equals("comment") || name.startsWith("x-")) {
                continue;
            }
            OptionSpec option = find(mount, name);
            if (option == null || option.longestName().equals("-o")) {
                flags.add(FUSE_OPTION);
                flags.add(item);
                continue;
            }
            flags.add(option.longestName());
            if (eq >= 0) {
                flags.add(item.substring(eq + 1));
            } else if (option.arity().min() > 0) {
                throw new ToolFailure("mount option '" + name + "' needs a value (" + name + "=...)");
            }
        }
        return flags;
    }

    private static OptionSpec find(CommandSpec mount, String name) {
        for (OptionSpec option : mount.options()) {
            if (option.descriptionKey().equals(name) || List.of(option.names()).contains("--" + name)) {
                return option;
            }
        }
        return null;
    }
}
