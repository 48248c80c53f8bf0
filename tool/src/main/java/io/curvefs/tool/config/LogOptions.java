package io.curvefs.tool.config;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import io.curvefs.tool.ToolFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * The {@code --log-dir DIR} option of the daemons: besides stderr, the daemon logs to
 * {@code DIR/<daemon>.log}, rolled daily and at 100 MiB, compressed, kept 7 days and 1 GiB at most.
 * Added in code rather than in logback.xml so that the file's place can follow the daemon's flags.
 */
public final class LogOptions {

    private static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{24} - %msg%n";

    @Option(names = "--log-dir", paramLabel = "DIR", descriptionKey = "log.dir",
            description = "Directory of the daemon's rolling log files (default: logs/ under the data directory; "
                    + "the mount logs to stderr only unless given)")
    Path dir;

    /** Starts the rolling file {@code <daemon>.log} in --log-dir, or in {@code fallback} (null: stderr only). */
    public void start(String daemon, Path fallback) {
        Path target = dir != null ? dir : fallback;
        if (target == null) {
            return;
        }
        try {
            Files.createDirectories(target);
        } catch (IOException e) {
            throw new ToolFailure("cannot create the log directory " + target + ": " + e.getMessage());
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();

        RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
        file.setContext(context);
        file.setName("FILE");
        file.setFile(target.resolve(daemon + ".log").toString());
        SizeAndTimeBasedRollingPolicy<ILoggingEvent> rolling = new SizeAndTimeBasedRollingPolicy<>();
        rolling.setContext(context);
        rolling.setParent(file);
        rolling.setFileNamePattern(target.resolve(daemon + ".%d{yyyy-MM-dd}.%i.log.gz").toString());
        rolling.setMaxFileSize(FileSize.valueOf("100MB"));
        rolling.setMaxHistory(7);
        rolling.setTotalSizeCap(FileSize.valueOf("1GB"));
        rolling.start();
        file.setRollingPolicy(rolling);
        file.setEncoder(encoder);
        file.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(file);
    }
}
