package io.curvefs.tool.localcluster;

import io.curvefs.tool.ToolFailure;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The processes of a local cluster, kept in DIR/cluster.properties so that every later command
 * (status, kill, restart, stop) knows names, addresses, pids and command lines. A properties file
 * because it escapes any argument text and needs no library; it is rewritten whole through a
 * temporary file and a rename, so a crash never leaves half a file.
 */
final class ClusterState {

    static final String FILE_NAME = "cluster.properties";

    private final Path dir;
    private final List<LocalProcess> processes;

    ClusterState(Path dir, List<LocalProcess> processes) {
        this.dir = dir;
        this.processes = new ArrayList<>(processes);
    }

    static boolean existsIn(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE_NAME));
    }

    static ClusterState load(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new ToolFailure("no local cluster in " + dir + " (no " + FILE_NAME + "; start one with 'curvefs cluster start')");
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new ToolFailure("cannot read " + file + ": " + e.getMessage());
        }
        List<LocalProcess> processes = new ArrayList<>();
        for (String name : p.getProperty("processes", "").split(",")) {
            if (name.isBlank()) {
                continue;
            }
            List<String> command = new ArrayList<>();
            for (int i = 0; p.containsKey(name + ".command." + i); i++) {
                command.add(p.getProperty(name + ".command." + i));
            }
            try {
                processes.add(new LocalProcess(name, LocalProcess.Kind.valueOf(p.getProperty(name + ".kind")),
                        p.getProperty(name + ".address"), Path.of(p.getProperty(name + ".home")), command,
                        Long.parseLong(p.getProperty(name + ".pid", "0"))));
            } catch (RuntimeException e) {
                throw new ToolFailure(file + ": bad entry for " + name);
            }
        }
        return new ClusterState(dir, processes);
    }

    Path dir() {
        return dir;
    }

    List<LocalProcess> processes() {
        return List.copyOf(processes);
    }

    List<LocalProcess> ofKind(LocalProcess.Kind kind) {
        return processes.stream().filter(p -> p.kind() == kind).toList();
    }

    LocalProcess named(String name) {
        return processes.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new ToolFailure("no process named '" + name + "' in " + dir + " (there are: "
                        + String.join(", ", processes.stream().map(LocalProcess::name).toList()) + ")"));
    }

    /** Records a new pid of {@code process} and writes the file. */
    void update(LocalProcess process) {
        for (int i = 0; i < processes.size(); i++) {
            if (processes.get(i).name().equals(process.name())) {
                processes.set(i, process);
            }
        }
        save();
    }

    void save() {
        Properties p = new Properties();
        p.setProperty("processes", String.join(",", processes.stream().map(LocalProcess::name).toList()));
        for (LocalProcess process : processes) {
            String name = process.name();
            p.setProperty(name + ".kind", process.kind().name());
            p.setProperty(name + ".address", process.address());
            p.setProperty(name + ".home", process.home().toString());
            p.setProperty(name + ".pid", Long.toString(process.pid()));
            for (int i = 0; i < process.command().size(); i++) {
                p.setProperty(name + ".command." + i, process.command().get(i));
            }
        }
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(FILE_NAME + ".tmp");
            try (Writer out = Files.newBufferedWriter(tmp)) {
                p.store(out, "curvefs local cluster: written by 'curvefs cluster', read by its subcommands");
            }
            Files.move(tmp, dir.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(FILE_NAME) + ": " + e.getMessage(), e);
        }
    }
}
