package dev.spindle.store.postgres;

import java.util.HashMap;
import java.util.Map;

/** Every named statement of the store for one schema, loaded and parsed once per store. */
final class PostgresQueries {
  private static final String[] FILES = {
    "queries/task_write.sql",
    "queries/task_maintenance.sql",
    "queries/task_operator.sql",
    "queries/task_read.sql",
    "queries/meta.sql"
  };

  private final Map<String, NamedSql> all;

  private PostgresQueries(Map<String, NamedSql> all) {
    this.all = all;
  }

  /**
   * @param sessionPinsIndexes true when every connection runs with the store's session settings
   *     (see {@link NamedSql#parse})
   */
  static PostgresQueries forSchema(StoreSchema schema, boolean sessionPinsIndexes) {
    Map<String, NamedSql> all = new HashMap<>();
    for (String file : FILES) {
      SqlResources.namedQueries(file, schema)
          .forEach(
              (name, query) -> {
                NamedSql sql =
                    NamedSql.parse(name, query.sql(), query.planning(), sessionPinsIndexes);
                if (all.put(name, sql) != null) {
                  throw new IllegalStateException("query '" + name + "' is defined in two files");
                }
              });
    }
    return new PostgresQueries(Map.copyOf(all));
  }

  NamedSql get(String name) {
    NamedSql sql = all.get(name);
    if (sql == null) {
      throw new IllegalArgumentException(
          "no query named '" + name + "' in " + String.join(", ", FILES));
    }
    return sql;
  }
}
