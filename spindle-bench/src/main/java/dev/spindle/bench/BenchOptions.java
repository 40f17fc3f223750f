package dev.spindle.bench;

import java.text.DecimalFormat;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Checks of the benchmarks' numeric options, with messages that name the option and its value. */
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
}
