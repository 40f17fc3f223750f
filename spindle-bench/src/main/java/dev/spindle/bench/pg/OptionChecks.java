package dev.spindle.bench.pg;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Validation of the benchmarks' numeric options, with messages naming option and value. */
final class OptionChecks {
  private OptionChecks() {}

  static void atLeast(CommandSpec spec, String option, long value, long min) {
    if (value < min) {
      throw new ParameterException(
          spec.commandLine(), String.format("%s must be at least %d, got %d", option, min, value));
    }
  }
}
