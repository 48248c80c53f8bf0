package io.curvefs.metaserver.mds;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * The id and token the MDS gave this metaserver, kept in {@code <dataDir>/metaserver.id}
 * (properties {@code id}, {@code token}) so that a restart keeps its identity.
 */
record Identity(int id, String token) {

    static final String FILE = "metaserver.id";

    static Optional<Identity> load(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
            return Optional.of(new Identity(Integer.parseUnsignedInt(p.getProperty("id")),
                    p.getProperty("token", "")));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("unreadable identity file " + file + ": " + e.getMessage(), e);
        }
    }

    void save(Path dataDir) {
        Properties p = new Properties();
        p.setProperty("id", Integer.toUnsignedString(id));
        p.setProperty("token", token);
        Path tmp = dataDir.resolve(FILE + ".tmp");
        try {
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(out, "metaserver identity issued by the MDS");
            }
            Files.move(tmp, dataDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dataDir.resolve(FILE), e);
        }
    }
}
