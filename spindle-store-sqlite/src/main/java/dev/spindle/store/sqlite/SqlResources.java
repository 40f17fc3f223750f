package dev.spindle.store.sqlite;

import dev.spindle.core.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads the store's SQL from resource files beside this class, so SQL is read and reviewed as SQL.
 *
 * <p>A query file holds named statements, each introduced by a {@code -- name: x} line; other
 * {@code --} lines are comments. A migration file is a script of statements ending in {@code ;}.
 */
final class SqlResources {
  private static final String BASE = "/dev/spindle/store/sqlite/";
  private static final String NAME_MARK = "-- name:";

  private SqlResources() {}

  static String read(String relativePath) {
    String path = BASE + relativePath;
    try (InputStream in = SqlResources.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new StoreException(
            "SQL resource "
                + path
                + " is missing from the classpath; the spindle-store-sqlite jar"
                + " is incomplete, rebuild or reinstall it");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StoreException("could not read SQL resource " + path, e);
    }
  }

  /** The named statements of a query file, in file order. */
  static Map<String, String> namedQueries(String relativePath) {
    Map<String, String> queries = new LinkedHashMap<>();
    String name = null;
    StringBuilder sql = new StringBuilder();
    for (String line : read(relativePath).split("\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith(NAME_MARK)) {
        putQuery(queries, name, sql, relativePath);
        name = trimmed.substring(NAME_MARK.length()).strip();
        sql.setLength(0);
      } else if (!trimmed.startsWith("--") && !trimmed.isEmpty()) {
        sql.append(line).append('\n');
      }
    }
    putQuery(queries, name, sql, relativePath);
    return Map.copyOf(queries);
  }

  private static void putQuery(
      Map<String, String> queries, String name, StringBuilder sql, String file) {
    if (name == null) {
      return;
    }
    if (queries.put(name, sql.toString().strip()) != null) {
      throw new StoreException("query '" + name + "' is defined twice in " + file);
    }
  }

  /** The statements of a script; a statement ends with a line ending in {@code ;}. */
  static List<String> statements(String relativePath) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : read(relativePath).split("\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("--") || trimmed.isEmpty()) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        statements.add(current.toString().strip());
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      throw new StoreException(
          "script " + relativePath + " ends with a statement missing its ';': " + current);
    }
    return statements;
  }

  /** The non-comment lines of a list file. */
  static List<String> lines(String relativePath) {
    return read(relativePath)
        .lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .toList();
  }
}
