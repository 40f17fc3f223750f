package dev.spindle.cli;

import picocli.CommandLine.ExitCode;

/**
 * An expected failure of a command: printed as one line (no stack trace), ending the command with
 * its exit code.
 */
public final class CliFailure extends RuntimeException {
  private final int exitCode;

  private CliFailure(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** The operation failed: exit code 1. */
  public static CliFailure failed(String message) {
    return new CliFailure(ExitCode.SOFTWARE, message, null);
  }

  public static CliFailure failed(String message, Throwable cause) {
    return new CliFailure(ExitCode.SOFTWARE, message, cause);
  }

  public int exitCode() {
    return exitCode;
  }
}
