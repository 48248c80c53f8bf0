package io.curvefs.tool.daemon;

import io.curvefs.tool.ToolFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Writes the {@code mount.curvefs} helper that mount(8) runs for {@code -t curvefs} (and so for
 * /etc/fstab lines of that type). The helper turns mount's calling convention
 * ({@code SPEC DIR [-sfnv] [-o OPTIONS]}, SPEC = {@code FSNAME@MDSADDRS}) into
 * {@code curvefs mount --daemon}, which returns once the file system is mounted. It runs this very
 * Java and class path, so it needs no PATH and works from mount's sanitized environment.
 */
@Command(name = "install-mount-helper", mixinStandardHelpOptions = true,
        description = {"Install /sbin/mount.curvefs so that 'mount -t curvefs FSNAME@MDSADDRS DIR -o ...' "
                + "and /etc/fstab entries work.",
            "fstab: FSNAME@HOST:PORT[,HOST:PORT]  /mnt/point  curvefs  _netdev[,OPTION=VALUE...]  0  0"})
public final class InstallMountHelperCommand implements Callable<Integer> {

    /** The heap and direct-memory caps bin/curvefs gives a mount (CURVEFS_JAVA_OPTS overrides them). */
    static final String MOUNT_JVM_DEFAULTS = "-Xmx672m -XX:MaxDirectMemorySize=192m";

    @Option(names = "--target", paramLabel = "FILE", defaultValue = "/sbin/mount.curvefs",
            description = "Where to write the helper (default: ${DEFAULT-VALUE})")
    Path target;

    @Override
    public Integer call() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String script = """
                #!/bin/sh
                # mount.curvefs, written by 'curvefs install-mount-helper'. mount(8) calls it as
                #   mount.curvefs FSNAME@MDSADDRS DIR [-sfnv] [-N NS] [-o OPTIONS] [-t TYPE]
                spec="$1"; dir="$2"
                [ $# -ge 2 ] || { echo "usage: mount.curvefs FSNAME@MDSADDRS DIR [-o OPTIONS]" >&2; exit 1; }
                shift 2
                opts=""
                while [ $# -gt 0 ]; do
                  case "$1" in
                    -o) opts="$2"; shift 2 ;;
                    -o*) opts="${1#-o}"; shift ;;
                    -t|-N) shift 2 ;;
                    *) shift ;;
                  esac
                done
                fs="${spec%%@*}"
                set -- mount --daemon --fs-name "$fs"
                [ "$fs" != "$spec" ] && set -- "$@" --mds "${spec#*@}"
                [ -n "$opts" ] && set -- "$@" -o "$opts"
                exec %s %s %s -cp '%s' io.curvefs.tool.Main "$@" "$dir"
                """.formatted(quote(java), MOUNT_JVM_DEFAULTS, System.getenv().getOrDefault("CURVEFS_JAVA_OPTS", ""),
                System.getProperty("java.class.path"));
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.writeString(target, script);
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new ToolFailure("cannot write " + target + ": " + e.getMessage());
        }
        System.out.println("installed " + target);
        return 0;
    }

    private static String quote(String path) {
        return "'" + path.replace("'", "'\\''") + "'";
    }
}
