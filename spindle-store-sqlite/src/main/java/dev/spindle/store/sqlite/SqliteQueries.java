package dev.spindle.store.sqlite;

import java.util.HashMap;
import java.util.Map;

/** Every named statement of the store, loaded once from the {@code queries/} resource files. */
final class SqliteQueries {
  private static final String[] FILES = {
    "queries/task_write.sql",
    "queries/task_maintenance.sql",
    "queries/meta.sql",
    "queries/task_read.sql"
  };

  private static final Map<String, String> ALL = loadAll();

  private SqliteQueries() {}

  static String sql(String name) {
    String sql = ALL.get(name);
    if (sql == null) {
      throw new IllegalArgumentException(
          "no query named '" + name + "' in " + String.join(", ", FILES));
    }
    return sql;
  }

  /** Every named statement, by name. */
  static Map<String, String> all() {
    return ALL;
  }

  private static Map<String, String> loadAll() {
    Map<String, String> all = new HashMap<>();
    for (String file : FILES) {
      SqlResources.namedQueries(file)
          .forEach(
              (name, sql) -> {
                if (all.put(name, sql) != null) {
                  throw new IllegalStateException("query '" + name + "' is defined in two files");
                }
              });
    }
    return Map.copyOf(all);
  }
}
