package dev.spindle.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.spindle.bench.BenchDatabase;
import dev.spindle.bench.BenchMain;
import dev.spindle.bench.TestPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * Keeps {@code spindle bench peers} compiling and working: tiny runs of every system, store and
 * workload, each in a JVM of its own as in a real run, with their results read back.
 */
class PeersBenchTest {
  private static final String URL = TestPostgres.URL;

  @Test
  @Timeout(180)
  void everyWorkloadRunsEveryTaskOnceOnBothStores() {
    TestPostgres.assume();

    String out =
        run(
            "--systems", "spindle,db-scheduler-tuned,ceiling",
            "--tasks", "300",
            "--sleep-tasks", "300",
            "--sleep-workers", "100",
            "--hold-ms", "300",
            "--steady-seconds", "1");

    assertThat(out)
        .contains("PostgreSQL (a)", "PostgreSQL (b)", "PostgreSQL (h)", "PostgreSQL (c)")
        .contains("SQLite (a)", "SQLite (b)", "SQLite (h)", "SQLite (c)")
        .contains("Spindle", "db-scheduler", "lock-and-fetch", "raw SQL")
        .contains("Spindle = ", "vs Spindle", "exactly once")
        .contains("CPU/task")
        .contains("after a 1 s lead-in", "lead-in p99")
        .as("the raw SQL floor of one task per submit is measured next to Spindle in (c)")
        .contains("group commit of claimed rows", "Spindle p99 ")
        .as("the JVM's CPU time per task is measured, not unknown")
        .containsPattern("\\d us ")
        .doesNotContain("TIMEOUT", "NEVER RAN", "FAILED");
  }

  /** JobRunr polls every 5 s at best, so it gets the smallest runs that cover both its paths. */
  @Test
  @Timeout(180)
  void jobRunrRunsBulkAndSingleSubmitsOnBothStores() {
    TestPostgres.assume();

    String out =
        run(
            "--systems", "jobrunr-tuned",
            "--workloads", "a,c",
            "--tasks", "100",
            "--steady-rate", "50",
            "--steady-seconds", "1");

    assertThat(out)
        .contains("PostgreSQL (a)", "PostgreSQL (c)", "SQLite (a)", "SQLite (c)", "JobRunr")
        .doesNotContain("TIMEOUT", "NEVER RAN", "FAILED");
  }

  @Test
  @Timeout(120)
  void peersRunWithTheirDefaults() {
    TestPostgres.assume();

    String out =
        run(
            "--systems", "db-scheduler,jobrunr",
            "--stores", "postgres",
            "--workloads", "a",
            "--tasks", "100");

    assertThat(out)
        .contains("PostgreSQL (a)", "fetch-and-lock-on-execute", "defaults (poll 15 s)")
        .doesNotContain("TIMEOUT", "NEVER RAN", "FAILED");
  }

  /**
   * A run killed before it could clean up leaves JobRunr's tables behind in the database; JobRunr
   * finds tables of its name in any schema it can see, and used to take those for its own (failing
   * with "relation jobrunr_migrations does not exist"). Every run now gets a database of its own,
   * and drops it afterwards.
   */
  @Test
  @Timeout(120)
  void jobRunrIsNotMisledByTablesALeftoverRunLeftInTheDatabase() throws Exception {
    TestPostgres.assume();
    BenchDatabase db = new BenchDatabase(URL);
    String leftover = db.createSchema("spindle_peers_killed_");
    try {
      runJobRunrOnce(db, leftover);
      String runs = "SELECT count(*) FROM pg_database WHERE datname LIKE 'spindle_peers_%'";
      int before = count(db, runs);

      String out =
          run(
              "--systems",
              "jobrunr-tuned",
              "--stores",
              "postgres",
              "--workloads",
              "a",
              "--tasks",
              "50");

      assertThat(out).contains("PostgreSQL (a)", "JobRunr").doesNotContain("FAILED", "TIMEOUT");
      assertThat(count(db, runs)).as("databases left behind by the run").isEqualTo(before);
    } finally {
      db.dropSchema(leftover);
    }
  }

  /** JobRunr's tables in {@code schema}, as a run leaves them. */
  private static void runJobRunrOnce(BenchDatabase db, String schema) throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(URL);
    config.setSchema(schema);
    try (HikariDataSource pool = new HikariDataSource(config)) {
      new PostgresStorageProvider(pool).close();
    }
    assertThat(count(db, "SELECT count(*) FROM " + schema + ".jobrunr_migrations")).isPositive();
  }

  private static int count(BenchDatabase db, String sql) throws Exception {
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test
  void badOptionsSayWhatIsAllowed() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new BenchMain()).setErr(new PrintWriter(err));

    int exit = cli.execute("peers", "--systems", "spindle,sidekiq");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString())
        .contains("unknown system 'sidekiq'", "allowed: spindle, db-scheduler");
  }

  @Test
  void aBadNumberNamesItsOptionTheValueAndTheBound() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new BenchMain()).setErr(new PrintWriter(err));

    int exit = cli.execute("peers", "--workers", "64", "--steady-rate", "-2.5");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--steady-rate must be at least 0, got -2.5");
    assertThat(err.toString()).doesNotContain("--workers must");
  }

  /** One run each, no warm-up: enough to show every part works. */
  private static String run(String... options) {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new BenchMain()).setOut(new PrintWriter(out));
    List<String> args =
        new ArrayList<>(List.of("peers", "--pg-url", URL, "--runs", "1", "--no-warmup"));
    args.addAll(List.of(options));
    args.addAll(List.of("--timeout", "60"));
    int exit = cli.execute(args.toArray(String[]::new));
    assertThat(exit).as(out.toString()).isZero();
    return out.toString();
  }
}
