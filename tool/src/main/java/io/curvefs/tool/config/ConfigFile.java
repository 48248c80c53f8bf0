package io.curvefs.tool.config;

import io.curvefs.tool.ToolFailure;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A daemon's configuration file ({@code --conf FILE}, Java properties: {@code key = value}, '#'
 * comments). Each key is the description key of one command-line option (upstream's key names
 * where upstream has one, e.g. {@code mds.listen.addr}), and the file's value becomes that
 * option's default: a flag given on the command line still wins. Keys no option knows are an
 * error, so a typo does not silently fall back to a default.
 */
public final class ConfigFile implements IDefaultValueProvider {

    public static final String OPTION = "--conf";

    private final Path path;
    private final Map<String, String> values;

    private ConfigFile(Path path, Map<String, String> values) {
        this.path = path;
        this.values = values;
    }

    /** The file named by {@code --conf FILE} or {@code --conf=FILE} in {@code args}, loaded; null when absent. */
    public static ConfigFile fromArgs(String... args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(OPTION) && i + 1 < args.length) {
                return load(Path.of(args[i + 1]));
            }
            if (args[i].startsWith(OPTION + "=")) {
                return load(Path.of(args[i].substring(OPTION.length() + 1)));
            }
        }
        return null;
    }

    static ConfigFile load(Path path) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new ToolFailure("cannot read configuration file " + path + ": " + e.getMessage());
        }
        Map<String, String> values = new LinkedHashMap<>();
        properties.stringPropertyNames().stream().sorted()
                .forEach(key -> values.put(key, properties.getProperty(key).strip()));
        return new ConfigFile(path, values);
    }

    Path path() {
        return path;
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (arg instanceof OptionSpec option && !option.descriptionKey().isEmpty()) {
            return values.get(option.descriptionKey());
        }
        return null;
    }

    /** Fails on the first key that none of {@code options} has as its description key. */
    void checkKeys(List<OptionSpec> options) {
        for (String key : values.keySet()) {
            if (options.stream().noneMatch(o -> o.descriptionKey().equals(key))) {
                throw new ToolFailure("unknown key '" + key + "' in " + path
                        + " (see --print-config for the keys of this command)");
            }
        }
    }
}
