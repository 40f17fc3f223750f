package dev.spindle.store.sqlite;

import dev.spindle.core.store.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Brings the schema up to date on open: applies each numbered migration of {@code migrations/} not
 * yet recorded in {@code spindle_schema_version}, in order, each in its own transaction.
 *
 * <p>Runs under the store's file lock, so no other process migrates the same file concurrently.
 */
final class SqliteMigrator {
  private static final List<String> MIGRATIONS = SqlResources.lines("migrations/index.txt");

  private SqliteMigrator() {}

  /** The schema version a fully migrated database has. */
  static int latestVersion() {
    return MIGRATIONS.size();
  }

  /** Applies missing migrations; returns how many were applied. */
  static int migrate(Connection connection, Path dbFile) {
    try (Statement st = connection.createStatement()) {
      st.executeUpdate(
          "CREATE TABLE IF NOT EXISTS spindle_schema_version ("
              + "version INTEGER PRIMARY KEY, name TEXT NOT NULL)");
      int current = currentVersion(st);
      if (current > MIGRATIONS.size()) {
        throw new StoreException(
            "SQLite store "
                + dbFile
                + " has schema version "
                + current
                + " but this Spindle knows only up to "
                + MIGRATIONS.size()
                + "; it was written by a newer Spindle: upgrade Spindle, or use another file");
      }
      for (int version = current + 1; version <= MIGRATIONS.size(); version++) {
        apply(connection, st, version, MIGRATIONS.get(version - 1), dbFile);
      }
      return MIGRATIONS.size() - current;
    } catch (SQLException e) {
      throw new StoreException(
          "could not read the schema version of SQLite store "
              + dbFile
              + ": "
              + e.getMessage()
              + "; is it a Spindle database?",
          e);
    }
  }

  private static int currentVersion(Statement st) throws SQLException {
    try (ResultSet rs =
        st.executeQuery("SELECT coalesce(max(version), 0) FROM spindle_schema_version")) {
      return rs.getInt(1);
    }
  }

  private static void apply(
      Connection connection, Statement st, int version, String file, Path dbFile) {
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
    List<String> statements = SqlResources.statements("migrations/" + file);
    try {
      st.executeUpdate("BEGIN IMMEDIATE");
      for (String sql : statements) {
        st.executeUpdate(sql);
      }
      try (PreparedStatement record =
          connection.prepareStatement(
              "INSERT INTO spindle_schema_version (version, name) VALUES (?, ?)")) {
        record.setInt(1, version);
        record.setString(2, file);
        record.executeUpdate();
      }
      st.executeUpdate("COMMIT");
    } catch (SQLException e) {
      try {
        st.executeUpdate("ROLLBACK");
      } catch (SQLException rollbackFailure) {
        e.addSuppressed(rollbackFailure);
      }
      throw new StoreException(
          "migration "
              + file
              + " of SQLite store "
              + dbFile
              + " failed and was rolled back: "
              + e.getMessage(),
          e);
    }
  }
}
