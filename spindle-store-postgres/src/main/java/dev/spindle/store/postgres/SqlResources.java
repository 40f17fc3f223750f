package dev.spindle.store.postgres;

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
 * {@code --} lines are comments. A migration file is a script of statements ending in {@code ;}. In
 * both, {@code {schema}} stands for the store's schema, quoted; in queries {@code {channel}} stands
 * for its notification channel, quoted.
 */
final class SqlResources {
  private static final String BASE = "/dev/spindle/store/postgres/";
  private static final String NAME_MARK = "-- name:";
  private static final String PLAN_MARK = "-- plan:";
  static final String SCHEMA_PLACEHOLDER = "{schema}";
  static final String CHANNEL_PLACEHOLDER = "{channel}";

  private SqlResources() {}

  static String read(String relativePath) {
    String path = BASE + relativePath;
    try (InputStream in = SqlResources.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new StoreException(
            "SQL resource "
                + path
                + " is missing from the classpath; the spindle-store-postgres jar"
                + " is incomplete, rebuild or reinstall it");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StoreException("could not read SQL resource " + path, e);
    }
  }

  /** A statement of a query file, and whether it is to be planned on every execution. */
  record Query(String sql, boolean planEveryExecution) {}

  /**
   * The named statements of a query file, in file order, with the schema filled in. A {@code --
   * plan: every execution} line inside a statement marks it to be planned on every execution.
   */
  static Map<String, Query> namedQueries(String relativePath, StoreSchema schema) {
    Map<String, Query> queries = new LinkedHashMap<>();
    String name = null;
    boolean everyExecution = false;
    StringBuilder sql = new StringBuilder();
    for (String line : read(relativePath).split("\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith(NAME_MARK)) {
        putQuery(queries, name, sql, everyExecution, relativePath, schema);
        name = trimmed.substring(NAME_MARK.length()).strip();
        everyExecution = false;
        sql.setLength(0);
      } else if (trimmed.startsWith(PLAN_MARK)) {
        String plan = trimmed.substring(PLAN_MARK.length()).strip();
        if (!plan.equals("every execution")) {
          throw new StoreException(
              "query '"
                  + name
                  + "' in "
                  + relativePath
                  + " has an unknown plan directive: "
                  + plan);
        }
        everyExecution = true;
      } else if (!trimmed.startsWith("--") && !trimmed.isEmpty()) {
        sql.append(line).append('\n');
      }
    }
    putQuery(queries, name, sql, everyExecution, relativePath, schema);
    return queries;
  }

  private static void putQuery(
      Map<String, Query> queries,
      String name,
      StringBuilder sql,
      boolean everyExecution,
      String file,
      StoreSchema schema) {
    if (name == null) {
      return;
    }
    String text =
        sql.toString()
            .strip()
            .replace(SCHEMA_PLACEHOLDER, schema.quoted())
            .replace(CHANNEL_PLACEHOLDER, '"' + schema.channel() + '"');
    if (queries.put(name, new Query(text, everyExecution)) != null) {
      throw new StoreException("query '" + name + "' is defined twice in " + file);
    }
  }

  /** The statements of a script, schema filled in; a statement ends with a line ending in ';'. */
  static List<String> statements(String relativePath, String quotedSchema) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : read(relativePath).split("\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("--") || trimmed.isEmpty()) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        statements.add(current.toString().strip().replace(SCHEMA_PLACEHOLDER, quotedSchema));
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
