package dev.spindle.bench;

import dev.spindle.bench.peers.PeersBench;
import dev.spindle.bench.pg.ClaimLatencyBench;
import dev.spindle.bench.pg.MultiNodeBench;
import dev.spindle.bench.pg.PgEndToEndBench;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The benchmarks, as one command with a subcommand per kind of run. The {@code spindle} command
 * mounts it as {@code spindle bench}; {@link #main} runs it alone (from an IDE, say).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    subcommands = {
      EmbeddedBench.class,
      HttpBench.class,
      PeersBench.class,
      PgEndToEndBench.class,
      MultiNodeBench.class,
      ClaimLatencyBench.class
    },
    description = {
      "Measure Spindle on this machine: embedded and http on a fresh temporary SQLite store with"
          + " synchronous=FULL (every accepted task was fsynced first); peers against db-scheduler,"
          + " JobRunr and the raw SQL ceiling on PostgreSQL and SQLite; pg-end-to-end, multinode"
          + " and claim-latency on PostgreSQL, each run in a fresh schema."
    })
public final class BenchMain {
  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }
}
