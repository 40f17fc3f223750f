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

  /** A statement of a query file, and how it is to be planned. */
  record Query(String sql, NamedSql.Planning planning) {}

  /**
   * The named statements of a query file, in file order, with the schema filled in. A {@code --
   * plan: every execution} or {@code -- plan: once, on indexes} line inside a statement says how it
   * is planned (see {@link NamedSql.Planning}); without one it is planned once.
   */
  static Map<String, Query> namedQueries(String relativePath, StoreSchema schema) {
    Map<String, Query> queries = new LinkedHashMap<>();
    String name = null;
    NamedSql.Planning planning = NamedSql.Planning.ONCE;
    StringBuilder sql = new StringBuilder();
    for (String line : read(relativePath).split("\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith(NAME_MARK)) {
        putQuery(queries, name, sql, planning, relativePath, schema);
        name = trimmed.substring(NAME_MARK.length()).strip();
        planning = NamedSql.Planning.ONCE;
        sql.setLength(0);
      } else if (trimmed.startsWith(PLAN_MARK)) {
        String plan = trimmed.substring(PLAN_MARK.length()).strip();
        planning =
            switch (plan) {
              case "every execution" -> NamedSql.Planning.EVERY_EXECUTION;
              case "once, on indexes" -> NamedSql.Planning.ONCE_ON_INDEXES;
              default ->
                  throw new StoreException(
                      "query '"
                          + name
                          + "' in "
                          + relativePath
                          + " has an unknown plan directive: '"
                          + plan
                          + "'; known are 'every execution' and 'once, on indexes'");
            };
      } else if (!trimmed.startsWith("--") && !trimmed.isEmpty()) {
        sql.append(line).append('\n');
      }
    }
    putQuery(queries, name, sql, planning, relativePath, schema);
    return queries;
  }

  private static void putQuery(
      Map<String, Query> queries,
      String name,
      StringBuilder sql,
      NamedSql.Planning planning,
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
    if (queries.put(name, new Query(text, planning)) != null) {
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
