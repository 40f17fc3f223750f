package dev.spindle.bench;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The {@code --pg-url} option of every benchmark that runs on PostgreSQL (a picocli mixin). */
public final class PgUrlOption {
  @Option(
      names = "--pg-url",
      defaultValue = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres",
      description =
          "the PostgreSQL database, as jdbc:postgresql://… or postgresql://… (default"
              + " ${DEFAULT-VALUE})")
  String url;

  /** The URL as given. */
  public String url() {
    return url;
  }

  /**
   * The database, or null after telling the user on the command's error stream that it cannot be
   * reached; a URL the store would refuse is a bad option value.
   */
  public BenchDatabase reachable(CommandSpec spec) {
    BenchDatabase db = BenchDatabase.fromOption(spec, "--pg-url", url);
    String unreachable = BenchDatabase.unreachableBecause(db.url());
    if (unreachable != null) {
      spec.commandLine().getErr().println("PostgreSQL is not reachable: " + unreachable);
      return null;
    }
    return db;
  }
}
