package io.curvefs.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** One run of the curvefs command as a separate process: exit status and output. */
record ToolRun(int exitCode, String stdout, String stderr) {

    static ToolRun of(String... args) throws IOException, InterruptedException {
        return of(Duration.ofSeconds(60), args);
    }

    /** For commands that wait for servers, such as {@code cluster start}. */
    static ToolRun of(Duration timeout, String... args) throws IOException, InterruptedException {
        File err = File.createTempFile("curvefs-tool", ".err");
        try {
            Process p = new ProcessBuilder(DaemonProcess.javaCommand(args))
                    .redirectError(err)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("curvefs " + String.join(" ", args) + " did not finish");
            }
            return new ToolRun(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                    Files.readString(err.toPath(), StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(err.toPath());
        }
    }
}
