package dev.spindle.cli.tasks;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain text table: columns as wide as their widest line, two spaces apart. A cell with several
 * lines (a stack trace) continues below, in its own column.
 */
final class Table {
  private final List<String[][]> rows = new ArrayList<>();
  private final int columns;

  Table(int columns) {
    this.columns = columns;
  }

  Table add(String... cells) {
    if (cells.length != columns) {
      throw new IllegalArgumentException(columns + " cells expected, got " + cells.length);
    }
    String[][] lines = new String[columns][];
    for (int c = 0; c < columns; c++) {
      lines[c] = cells[c].lines().toArray(String[]::new);
    }
    rows.add(lines);
    return this;
  }

  void print(PrintWriter out) {
    int[] width = new int[columns];
    for (String[][] row : rows) {
      for (int c = 0; c < columns; c++) {
        for (String line : row[c]) {
          width[c] = Math.max(width[c], line.length());
        }
      }
    }
    for (String[][] row : rows) {
      int height = 1;
      for (String[] cell : row) {
        height = Math.max(height, cell.length);
      }
      for (int h = 0; h < height; h++) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < columns; c++) {
          String text = h < row[c].length ? row[c][h] : "";
          line.append(text).append(" ".repeat(width[c] - text.length() + 2));
        }
        out.println(line.toString().stripTrailing());
      }
    }
  }
}
