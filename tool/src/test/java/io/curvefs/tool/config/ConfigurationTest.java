package io.curvefs.tool.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.curvefs.tool.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration files, flags over them, --print-config and mount -o options, through the real command line. */
class ConfigurationTest {

    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;

    @BeforeEach
    void capture() {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    private int run(String... args) {
        return Main.run(args);
    }

    private String printed() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printConfigShowsDefaultsFileValuesAndFlagsInThatOrderOfStrength() throws Exception {
        assertThat(run("mds", "--print-config")).isZero();
        assertThat(printed()).contains("mds.listen.addr = 127.0.0.1:6700")
                .contains("mds.topology.CreatePartitionNumber = 12").contains("mds.session.timeoutSec = 20");

        Path conf = Files.writeString(dir.resolve("mds.properties"),
                "# comment\nmds.listen.addr = 10.0.0.1:7700\nmds.topology.CreatePartitionNumber=3\n"
                        + "etcd.endpoint = http://a:2379,http://b:2379\n");
        out.reset();
        assertThat(run("mds", "--conf", conf.toString(), "--partitions-per-fs", "5", "--print-config")).isZero();
        assertThat(printed()).contains("mds.listen.addr = 10.0.0.1:7700")
                .contains("mds.topology.CreatePartitionNumber = 5")
                .contains("etcd.endpoint = http://a:2379,http://b:2379");
    }

    @Test
    void everyDaemonPrintsItsKeysAndTheShippedExamplesParse() {
        assertThat(run("metaserver", "--print-config")).isZero();
        assertThat(printed()).contains("copyset.election_timeout_ms = 1000").contains("mds.listen.addr = ");
        out.reset();
        assertThat(run("mount", "--fs-name", "x", "--print-config", "/mnt")).isZero();
        assertThat(printed()).contains("fuseClient.attrTimeOut = 1.0").contains("s3.writeCacheMaxByte = ");

        Path conf = Path.of("..", "conf");
        assertThat(run("mds", "--conf", conf.resolve("mds.properties").toString(), "--print-config")).isZero();
        assertThat(run("metaserver", "--conf", conf.resolve("metaserver.properties").toString(), "--print-config"))
                .isZero();
        assertThat(run("mount", "--conf", conf.resolve("client.properties").toString(), "--fs-name", "x",
                "--print-config", "/mnt")).isZero();
    }

    @Test
    void unknownKeysAndUnreadableFilesAreOneLineErrors() throws Exception {
        Path conf = Files.writeString(dir.resolve("typo.properties"), "mds.listen.adr = 1.2.3.4:5\n");
        assertThat(run("mds", "--conf", conf.toString(), "--print-config")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("curvefs: unknown key 'mds.listen.adr'");
        err.reset();
        assertThat(run("mds", "--conf", dir.resolve("missing").toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("curvefs: cannot read configuration file");
    }

    @Test
    void mountOptionsBecomeFlagsByNameOrConfigurationKeyAndTheRestGoToLibfuse() {
        assertThat(run("mount", "--fs-name", "x", "-o", "rw,_netdev,attr-timeout=2.5,fs.kernelCache.entryTimeoutSec=3",
                "--print-config", "/mnt")).isZero();
        assertThat(printed()).contains("fuseClient.attrTimeOut = 2.5").contains("fs.kernelCache.entryTimeoutSec = 3.0");
        assertThat(run("mount", "--fs-name", "x", "-o", "ro,max_read=65536", "--print-config", "/mnt")).isZero();
        assertThat(printed()).contains("fuse.options = ro,max_read=65536");
    }
}
