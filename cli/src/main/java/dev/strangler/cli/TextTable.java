package dev.strangler.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Rows of text in aligned columns, for the terminal. The last column is never padded (it holds
 * free text such as a reason); a row may carry notes, printed indented under it and left out of
 * the column widths.
 */
final class TextTable {
    private static final String GAP = "  ";
    private static final String NOTE_INDENT = "    ";

    private final List<String> header;
    private final boolean[] rightAligned;
    private final List<Row> rows = new ArrayList<>();

    private record Row(List<String> cells, List<String> notes) {}

    /** A header cell that starts with {@code >} is a right-aligned (numeric) column; the {@code >} is not printed. */
    TextTable(String... header) {
        this.header = new ArrayList<>();
        this.rightAligned = new boolean[header.length];
        for (int i = 0; i < header.length; i++) {
            rightAligned[i] = header[i].startsWith(">");
            this.header.add(rightAligned[i] ? header[i].substring(1) : header[i]);
        }
    }

    TextTable row(String... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells (expected: " + header.size() + ")");
        }
        rows.add(new Row(List.of(cells), new ArrayList<>()));
        return this;
    }

    /** A line printed indented under the last row. */
    TextTable note(String line) {
        rows.getLast().notes().add(line);
        return this;
    }

    /** The table, lines separated by {@code \n}, with no newline at the end. */
    String render() {
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = header.get(i).length();
            for (Row r : rows) widths[i] = Math.max(widths[i], r.cells().get(i).length());
        }
        StringBuilder text = new StringBuilder();
        line(text, header, widths);
        for (Row r : rows) {
            text.append('\n');
            line(text, r.cells(), widths);
            for (String note : r.notes()) text.append('\n').append(NOTE_INDENT).append(note);
        }
        return text.toString();
    }

    private void line(StringBuilder text, List<String> cells, int[] widths) {
        int start = text.length();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            boolean last = i == cells.size() - 1;
            String pad = " ".repeat(widths[i] - cell.length());
            if (rightAligned[i]) text.append(pad).append(cell);
            else text.append(cell).append(last ? "" : pad);
            if (!last) text.append(GAP);
        }
        // A blank last cell leaves the padding of the others behind.
        while (text.length() > start && text.charAt(text.length() - 1) == ' ') text.setLength(text.length() - 1);
    }
}
