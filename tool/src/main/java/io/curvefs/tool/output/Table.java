package io.curvefs.tool.output;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rows under named columns. As text, columns are padded to their widest cell; as JSON, each row
 * is an object keyed by the column name in lower case with '_' for spaces, values kept typed.
 */
public final class Table {

    private final List<String> columns;
    private final List<List<Object>> rows = new ArrayList<>();

    private Table(List<String> columns) {
        this.columns = columns;
    }

    public static Table of(String... columns) {
        return new Table(List.of(columns));
    }

    public Table row(Object... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException("row of " + cells.length + " cells for " + columns.size() + " columns");
        }
        rows.add(Arrays.asList(cells));
        return this;
    }

    public List<Map<String, Object>> records() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (List<Object> row : rows) {
            Map<String, Object> record = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                record.put(columns.get(i).toLowerCase(Locale.ROOT).replace(' ', '_'), row.get(i));
            }
            out.add(record);
        }
        return out;
    }

    public String text() {
        int[] width = new int[columns.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = columns.get(i).length();
            for (List<Object> row : rows) {
                width[i] = Math.max(width[i], String.valueOf(row.get(i)).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, width, new ArrayList<>(columns));
        for (List<Object> row : rows) {
            line(out, width, row);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, int[] width, List<?> cells) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = String.valueOf(cells.get(i));
            line.append(cell);
            if (i < cells.size() - 1) {
                line.append(" ".repeat(width[i] - cell.length() + 2));
            }
        }
        out.append(line.toString().stripTrailing()).append(System.lineSeparator());
    }
}
