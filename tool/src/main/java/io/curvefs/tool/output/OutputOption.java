package io.curvefs.tool.output;

import picocli.CommandLine.Option;

/** The {@code -o table|json} option shared by the admin commands. */
public final class OutputOption {

    public enum Format { table, json }

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "Output format: table (for people, the default) or json (for scripts)")
    Format format;

    public boolean json() {
        return format == Format.json;
    }

    /** Prints {@code table} as aligned text or as a JSON array of objects. */
    public void print(Table table) {
        System.out.print(json() ? Json.write(table.records()) + System.lineSeparator() : table.text());
    }

    /** Prints {@code value} as JSON, or {@code text} for the table format. */
    public void print(Object value, String text) {
        System.out.print(json() ? Json.write(value) + System.lineSeparator() : text);
    }
}
