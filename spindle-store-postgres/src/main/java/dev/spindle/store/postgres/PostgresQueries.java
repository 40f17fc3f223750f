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
   * @param sessionPlansEveryExecution true when every connection runs with {@code plan_cache_mode =
   *     force_custom_plan} (see {@link NamedSql#parse})
   */
  static PostgresQueries forSchema(StoreSchema schema, boolean sessionPlansEveryExecution) {
    Map<String, NamedSql> all = new HashMap<>();
    for (String file : FILES) {
      SqlResources.namedQueries(file, schema)
          .forEach(
              (name, query) -> {
                NamedSql sql =
                    NamedSql.parse(
                        name, query.sql(), query.planEveryExecution(), sessionPlansEveryExecution);
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
