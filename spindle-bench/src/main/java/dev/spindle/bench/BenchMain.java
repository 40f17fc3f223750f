package dev.spindle.bench;

import dev.spindle.bench.peers.PeersBench;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The benchmarks, as one command with a subcommand per kind of run. The {@code spindle} command
 * mounts it as {@code spindle bench}; {@link #main} runs it alone (from an IDE, say).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    subcommands = {EmbeddedBench.class, HttpBench.class, PeersBench.class},
    description = {
      "Measure Spindle end to end on this machine: each run uses a fresh temporary SQLite store"
          + " with synchronous=FULL, so every accepted task was fsynced first."
    })
public final class BenchMain {
  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }
}
