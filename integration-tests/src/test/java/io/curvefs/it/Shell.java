package io.curvefs.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs a bash script the way a user at a shell would, and fails with its output if it fails. */
final class Shell {

    private Shell() {
    }

    static String run(Path workDir, String script) throws IOException, InterruptedException {
        File out = File.createTempFile("curvefs-shell", ".out");
        try {
            Process p = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(out)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("script did not finish in 10 minutes:\n" + script);
            }
            String output = Files.readString(out.toPath(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new AssertionError("script failed with " + p.exitValue() + ":\n" + script + "\n--- output:\n" + output);
            }
            return output;
        } finally {
            Files.deleteIfExists(out.toPath());
        }
    }
}
