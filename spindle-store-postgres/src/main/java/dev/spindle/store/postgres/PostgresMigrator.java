package dev.spindle.store.postgres;

import dev.spindle.core.store.StoreException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Brings the store's schema up to date on open: applies each numbered migration of {@code
 * migrations/} not yet recorded in {@code spindle_schema_version}.
 *
 * <p>Nodes starting together must not migrate twice: all missing migrations run in one transaction
 * that first takes a transaction-level advisory lock on the schema's name. A second node blocks on
 * the lock until the first commits, then reads the new version and applies nothing. An up-to-date
 * schema is recognized without the lock and without DDL, so nodes can run as a user that may not
 * change the schema once it has been migrated.
 */
final class PostgresMigrator {
  private static final List<String> MIGRATIONS = SqlResources.lines("migrations/index.txt");

  private final PostgresQueries queries;
  private final StoreSchema schema;
  private final String where;

  PostgresMigrator(PostgresQueries queries, StoreSchema schema, String where) {
    this.queries = queries;
    this.schema = schema;
    this.where = where;
  }

  /** The schema version a fully migrated store has. */
  static int latestVersion() {
    return MIGRATIONS.size();
  }

  /** Applies missing migrations; returns how many were applied. */
  int migrate(StatementRunner runner) {
    int current = runner.autocommit("read the schema version", this::versionIfPresent);
    checkNotNewer(current);
    if (current == MIGRATIONS.size()) {
      return 0;
    }
    return runner.transaction("migrate schema '" + schema.name() + "'", this::migrateLocked);
  }

  private int versionIfPresent(Connection c) throws SQLException {
    if (!queryBoolean(c, "schema_exists", "schema", schema.name())
        || !queryBoolean(
            c, "version_table_exists", "table", schema.quoted() + ".spindle_schema_version")) {
      return 0;
    }
    return currentVersion(c);
  }

  private int migrateLocked(Connection c) throws SQLException {
    try (NamedSql.Bound lock = queries.get("lock_migrations").prepare(c)) {
      lock.set("lock_class", StoreSchema.LOCK_CLASS).set("lock_name", schema.migrationLock());
      lock.statement().execute();
    }
    if (!queryBoolean(c, "schema_exists", "schema", schema.name())) {
      execute(c, "create_schema");
    }
    execute(c, "create_version_table");
    int current = currentVersion(c);
    checkNotNewer(current);
    for (int version = current + 1; version <= MIGRATIONS.size(); version++) {
      apply(c, version, MIGRATIONS.get(version - 1));
    }
    return MIGRATIONS.size() - current;
  }

  private void apply(Connection c, int version, String file) throws SQLException {
    String expectedPrefix = String.format("%03d_", version);
    if (!file.startsWith(expectedPrefix)) {
      throw new StoreException(
          "migration "
              + file
              + " is listed as number "
              + version
              + "; its name must start with "
              + expectedPrefix);
    }
    try (Statement st = c.createStatement()) {
      for (String sql : SqlResources.statements("migrations/" + file, schema.quoted())) {
        st.execute(sql);
      }
    } catch (SQLException e) {
      throw new StoreException(
          "migration "
              + file
              + " of schema '"
              + schema.name()
              + "' at "
              + where
              + " failed and was rolled back: "
              + e.getMessage(),
          e);
    }
    try (NamedSql.Bound record = queries.get("record_version").prepare(c)) {
      record.set("version", version).set("name", file);
      record.statement().executeUpdate();
    }
  }

  private void checkNotNewer(int current) {
    if (current > MIGRATIONS.size()) {
      throw new StoreException(
          "schema '"
              + schema.name()
              + "' at "
              + where
              + " has Spindle schema version "
              + current
              + " but this Spindle knows only up to "
              + MIGRATIONS.size()
              + "; a newer Spindle migrated it: upgrade this node, or use another schema");
    }
  }

  private int currentVersion(Connection c) throws SQLException {
    try (NamedSql.Bound st = queries.get("current_version").prepare(c);
        ResultSet rs = st.statement().executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private boolean queryBoolean(Connection c, String query, String param, String value)
      throws SQLException {
    try (NamedSql.Bound st = queries.get(query).prepare(c)) {
      st.set(param, value);
      try (ResultSet rs = st.statement().executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  private void execute(Connection c, String query) throws SQLException {
    try (NamedSql.Bound st = queries.get(query).prepare(c)) {
      st.statement().execute();
    }
  }
}
