package dev.spindle.wordcount;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The words database's SQL, read once from {@code schema.sql} (a script of statements ending in
 * {@code ;}) and {@code queries.sql} (statements introduced by {@code -- name: x} lines).
 */
final class WordsSql {
  private static final String NAME_MARK = "-- name:";

  static final List<String> SCHEMA = statements(read("schema.sql"));
  private static final Map<String, String> QUERIES = named(read("queries.sql"));

  private WordsSql() {}

  static String query(String name) {
    String sql = QUERIES.get(name);
    if (sql == null) {
      throw new IllegalStateException("no query '" + name + "' in queries.sql");
    }
    return sql;
  }

  private static String read(String file) {
    try (InputStream in = WordsSql.class.getResourceAsStream(file)) {
      if (in == null) {
        throw new IllegalStateException(
            "SQL resource " + file + " is missing; the spindle-wordcount jar is incomplete");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read SQL resource " + file, e);
    }
  }

  private static List<String> statements(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\n")) {
      String code = stripComment(line);
      if (code.isBlank()) {
        continue;
      }
      current.append(code).append('\n');
      if (code.strip().endsWith(";")) {
        out.add(current.toString().strip());
        current.setLength(0);
      }
    }
    return List.copyOf(out);
  }

  private static Map<String, String> named(String file) {
    Map<String, String> out = new HashMap<>();
    String name = null;
    StringBuilder sql = new StringBuilder();
    for (String line : (file + "\n" + NAME_MARK + " end").split("\n")) {
      if (line.strip().startsWith(NAME_MARK)) {
        if (name != null) {
          out.put(name, sql.toString().strip());
        }
        name = line.strip().substring(NAME_MARK.length()).strip();
        sql.setLength(0);
      } else if (!stripComment(line).isBlank()) {
        sql.append(stripComment(line)).append('\n');
      }
    }
    return Map.copyOf(out);
  }

  /** The line without a trailing {@code --} comment; our SQL has no {@code --} inside strings. */
  private static String stripComment(String line) {
    int at = line.indexOf("--");
    return at < 0 ? line : line.substring(0, at);
  }
}
