package dev.spindle.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.spindle.bench.BenchMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** Keeps {@code spindle bench peers} compiling and working: a small run of every system. */
class PeersBenchTest {
  private static final String URL =
      System.getenv()
          .getOrDefault(
              "SPINDLE_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

  @Test
  @Timeout(60)
  void everySystemRunsEveryTaskOnce() {
    assumePostgres();
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new BenchMain()).setOut(new PrintWriter(out));

    int exit =
        cli.execute(
            "peers", "--pg-url", URL, "--tasks", "200", "--workers", "8", "--timeout", "40");

    assertThat(out.toString())
        .contains("Spindle", "db-scheduler", "lock-and-fetch", "JobRunr")
        .doesNotContain("TIMEOUT", "NEVER RAN");
    assertThat(exit).isZero();
  }

  /** Skips without PostgreSQL, or fails with SPINDLE_REQUIRE_PG=1 (CI with a database). */
  private static void assumePostgres() {
    String reason = PeerDatabase.unreachableBecause(URL);
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
