package dev.spindle.bench;

import java.text.DecimalFormat;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Checks of the benchmarks' options, with messages that name the option, its value and why. */
public final class BenchOptions {
  private BenchOptions() {}

  /** Refuses a value of {@code option} below {@code min}. */
  public static void atLeast(CommandSpec spec, String option, double value, long min) {
    if (value < min) {
      throw new ParameterException(
          spec.commandLine(),
          String.format(
              "%s must be at least %d, got %s",
              option, min, new DecimalFormat("0.###").format(value)));
    }
  }

  /**
   * The PostgreSQL database named by {@code option}, or null after telling the user on the
   * command's error stream that it cannot be reached.
   */
  public static BenchDatabase reachableDatabase(CommandSpec spec, String option, String url) {
    BenchDatabase db = BenchDatabase.fromOption(spec, option, url);
    String unreachable = BenchDatabase.unreachableBecause(db.url());
    if (unreachable != null) {
      spec.commandLine().getErr().println("PostgreSQL is not reachable: " + unreachable);
      return null;
    }
    return db;
  }
}
