package dev.spindle.store.postgres;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL server the tests use: {@code SPINDLE_TEST_PG_URL}, by default the local test
 * database. Every test works in schemas of its own (random names, dropped afterwards), so tests
 * never see each other's rows and may share the database with other users.
 *
 * <p>When the server cannot be reached the tests are skipped, or fail if {@code
 * SPINDLE_REQUIRE_PG=1} (CI with a database).
 */
public final class TestDatabase {
  public static final String URL =
      System.getenv()
          .getOrDefault(
              "SPINDLE_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

  private static final Set<String> created = ConcurrentHashMap.newKeySet();
  private static volatile String unreachableBecause;
  private static volatile boolean probed;

  private TestDatabase() {}

  /** Skips (or fails, with SPINDLE_REQUIRE_PG=1) the calling test when there is no server. */
  public static void assumeAvailable() {
    if (!probed) {
      probe();
    }
    if (unreachableBecause == null) {
      return;
    }
    String message =
        "PostgreSQL is not reachable at "
            + PostgresUrls.redact(URL)
            + " ("
            + unreachableBecause
            + "); start one or point SPINDLE_TEST_PG_URL at one";
    if ("1".equals(System.getenv("SPINDLE_REQUIRE_PG"))) {
      fail(message + " (SPINDLE_REQUIRE_PG=1 makes this a failure)");
    }
    Assumptions.abort(message + "; skipped (set SPINDLE_REQUIRE_PG=1 to fail instead)");
  }

  private static synchronized void probe() {
    if (probed) {
      return;
    }
    try (Connection c = connect()) {
      unreachableBecause = c.isValid(3) ? null : "the connection did not answer";
    } catch (SQLException e) {
      unreachableBecause = e.getMessage();
    }
    probed = true;
  }

  /** A direct connection for test setup and inspection, outside any store. */
  public static Connection connect() throws SQLException {
    Properties p = new Properties();
    p.setProperty("connectTimeout", "3");
    p.setProperty("ApplicationName", "spindle-test");
    return DriverManager.getConnection(PostgresUrls.toJdbc(URL), p);
  }

  /** A fresh schema name, dropped by {@link #dropSchemas()}. */
  static String newSchema() {
    return newSchema("spindle_test_");
  }

  /** A fresh schema name starting with {@code prefix}, dropped by {@link #dropSchemas()}. */
  public static String newSchema(String prefix) {
    byte[] random = new byte[6];
    ThreadLocalRandom.current().nextBytes(random);
    String schema = prefix + HexFormat.of().formatHex(random);
    created.add(schema);
    return schema;
  }

  /** Options for a store in {@code schema}, sized for tests. */
  static PostgresStoreOptions.Builder options(String schema) {
    return PostgresStoreOptions.builder()
        .url(URL)
        .schema(schema)
        .poolSize(4)
        .connectTimeout(Duration.ofSeconds(5));
  }

  /** A store in a new, empty schema. */
  static PostgresTaskStore openFresh() {
    assumeAvailable();
    return PostgresTaskStore.open(options(newSchema()).build());
  }

  /** Drops every schema handed out so far; stores using them must be closed. */
  public static void dropSchemas() {
    if (!probed) {
      probe();
    }
    if (created.isEmpty() || unreachableBecause != null) {
      return;
    }
    List<String> schemas = List.copyOf(created);
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      for (String schema : schemas) {
        st.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
        created.remove(schema);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not drop test schemas " + schemas, e);
    }
  }
}
