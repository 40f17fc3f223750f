package dev.spindle.bench;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/** The PostgreSQL database of the benchmark tests. */
public final class TestPostgres {
  /** SPINDLE_TEST_PG_URL, else the local test database. */
  public static final String URL =
      System.getenv()
          .getOrDefault(
              "SPINDLE_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

  private TestPostgres() {}

  /** Skips the test without PostgreSQL, or fails it with SPINDLE_REQUIRE_PG=1 (CI). */
  public static void assume() {
    String reason = BenchDatabase.unreachableBecause(URL);
    if (reason == null) {
      return;
    }
    String message = "PostgreSQL is not reachable at " + URL + " (" + reason + ")";
    if ("1".equals(System.getenv("SPINDLE_REQUIRE_PG"))) {
      fail(message + "; SPINDLE_REQUIRE_PG=1 makes this a failure");
    }
    Assumptions.abort(message + "; skipped");
  }
}
