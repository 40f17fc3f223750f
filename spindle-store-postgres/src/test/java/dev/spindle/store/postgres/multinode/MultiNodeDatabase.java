package dev.spindle.store.postgres.multinode;

import static org.junit.jupiter.api.Assertions.fail;

import dev.spindle.store.postgres.PostgresStoreOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL server of the multi-node tests, found and checked the same way as the store's
 * {@code TestDatabase} (which is package-private there): {@code SPINDLE_TEST_PG_URL}, by default
 * the local test database; skipped when unreachable, or failed with {@code SPINDLE_REQUIRE_PG=1}.
 */
final class MultiNodeDatabase {
  static final String URL =
      System.getenv()
          .getOrDefault(
              "SPINDLE_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

  private MultiNodeDatabase() {}

  /** Skips (or fails, with SPINDLE_REQUIRE_PG=1) the calling test when there is no server. */
  static void assumeAvailable() {
    String unreachableBecause;
    try (Connection c = connect()) {
      unreachableBecause = c.isValid(3) ? null : "the connection did not answer";
    } catch (SQLException e) {
      unreachableBecause = e.getMessage();
    }
    if (unreachableBecause == null) {
      return;
    }
    String message =
        "PostgreSQL is not reachable at "
            + PostgresStoreOptions.forUrl(URL).describe()
            + " ("
            + unreachableBecause
            + "); start one or point SPINDLE_TEST_PG_URL at one";
    if ("1".equals(System.getenv("SPINDLE_REQUIRE_PG"))) {
      fail(message + " (SPINDLE_REQUIRE_PG=1 makes this a failure)");
    }
    Assumptions.abort(message + "; skipped (set SPINDLE_REQUIRE_PG=1 to fail instead)");
  }

  static Connection connect() throws SQLException {
    Properties p = new Properties();
    p.setProperty("connectTimeout", "3");
    p.setProperty("ApplicationName", "spindle-test");
    return DriverManager.getConnection(PostgresStoreOptions.forUrl(URL).jdbcUrl().orElseThrow(), p);
  }

  /** A fresh schema name; drop it with {@link #dropSchema(String)}. */
  static String newSchema(String prefix) {
    byte[] random = new byte[6];
    ThreadLocalRandom.current().nextBytes(random);
    return prefix + HexFormat.of().formatHex(random);
  }

  static void dropSchema(String schema) throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
    }
  }
}
