package io.curvefs.tool.localcluster;

import java.time.Duration;
import picocli.CommandLine.Option;

/** How long the commands that start processes wait for them to be healthy. */
public final class TimeoutOption {

    /** For the commands that only stop processes. */
    static final Duration DEFAULT = Duration.ofSeconds(120);

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "Give up when a process is not healthy after this long (default: ${DEFAULT-VALUE})")
    int seconds;

    Duration duration() {
        return Duration.ofSeconds(seconds);
    }
}
