package dev.spindle.bench.pg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.bench.BenchMain;
import dev.spindle.bench.TestPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * Keeps the PostgreSQL benchmarks ({@code multinode}, {@code claim-latency}, {@code pg-end-to-end})
 * compiling and working: tiny runs, their reports read back.
 */
class PgBenchesTest {
  @Test
  @Timeout(120)
  void multinodeRunsOneTwoAndThreeNodes() {
    TestPostgres.assume();

    String out = run("multinode", "--tasks", "2000", "--runs", "1");

    assertThat(out).contains("1 node(s): median", "2 node(s): median", "3 node(s): median");
  }

  @Test
  @Timeout(120)
  void claimLatencyComparesAnEmptyHistoryWithAFullOne() {
    TestPostgres.assume();

    String out =
        run(
            "claim-latency",
            "--history",
            "5000",
            "--ready",
            "2000",
            "--claims",
            "50",
            "--rounds",
            "1");

    assertThat(out).contains("empty history", "5,000 in history", "ratio history/empty");
  }

  @Test
  @Timeout(120)
  void pgEndToEndReportsRateAndCpuPerTask() {
    TestPostgres.assume();

    String out = run("pg-end-to-end", "--tasks", "2000", "--runs", "1");

    assertThat(out).contains("run 1", "end to end", "CPU per task: JVM");
  }

  @Test
  void aBadNumberNamesItsOptionAndTheBound() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new BenchMain()).setErr(new PrintWriter(err));

    int exit = cli.execute("claim-latency", "--claims", "0");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--claims must be at least 1, got 0");
  }

  private static String run(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new BenchMain()).setOut(new PrintWriter(out));
    String[] withUrl = new String[args.length + 2];
    System.arraycopy(args, 0, withUrl, 0, args.length);
    withUrl[args.length] = "--pg-url";
    withUrl[args.length + 1] = TestPostgres.URL;
    int exit = cli.execute(withUrl);
    assertThat(exit).as(out.toString()).isZero();
    return out.toString();
  }
}
