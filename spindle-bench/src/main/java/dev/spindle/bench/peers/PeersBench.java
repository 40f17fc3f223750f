package dev.spindle.bench.peers;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code spindle bench peers}: Spindle against other JVM task systems on the same PostgreSQL, in
 * one process, one after the other, each in a fresh schema dropped afterwards.
 */
@Command(
    name = "peers",
    mixinStandardHelpOptions = true,
    description = {
      "Spindle against db-scheduler and JobRunr on the same PostgreSQL, one after the other in"
          + " this process: N no-op tasks submitted in bulk while the same number of workers"
          + " drain them. A task counts as done once the system committed its completion."
    })
public final class PeersBench implements Callable<Integer> {
  @Option(
      names = "--pg-url",
      defaultValue = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres",
      description = "the PostgreSQL database (default ${DEFAULT-VALUE})")
  String pgUrl;

  @Option(
      names = "--tasks",
      defaultValue = "20000",
      description = "no-op tasks per system (default ${DEFAULT-VALUE})")
  int tasks;

  @Option(
      names = "--workers",
      defaultValue = "64",
      description = "worker threads (slots) of every system (default ${DEFAULT-VALUE})")
  int workers;

  @Option(
      names = "--pool",
      defaultValue = "10",
      description = "database connections of every system (default ${DEFAULT-VALUE}, Spindle's)")
  int pool;

  @Option(
      names = "--timeout",
      defaultValue = "300",
      description =
          "seconds each system may take before its run counts as timed out (default"
              + " ${DEFAULT-VALUE})")
  int timeoutSeconds;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (tasks < 1 || workers < 1 || pool < 1 || timeoutSeconds < 1) {
      throw new ParameterException(
          spec.commandLine(), "--tasks, --workers, --pool and --timeout must be >= 1");
    }
    PrintWriter out = spec.commandLine().getOut();
    String unreachable = PeerDatabase.unreachableBecause(pgUrl);
    if (unreachable != null) {
      spec.commandLine().getErr().println("PostgreSQL is not reachable: " + unreachable);
      return 2;
    }
    PeerDatabase db = new PeerDatabase(pgUrl, pool);
    List<PeerSystem> systems =
        List.of(
            new SpindleOnPostgres(db),
            DbScheduler.defaults(db),
            DbScheduler.lockAndFetch(db),
            new JobRunrOnPostgres(db));
    Duration timeout = Duration.ofSeconds(timeoutSeconds);
    List<PeerResult> results = new ArrayList<>();
    for (PeerSystem system : systems) {
      out.printf("running %s, %s…%n", system.name(), system.settings());
      out.flush();
      String schema = db.createSchema("spindle_peers_");
      try {
        results.add(system.run(schema, tasks, workers, timeout));
      } finally {
        db.dropSchema(schema);
      }
    }
    out.printf(
        "%nWorkload (a): %,d no-op tasks submitted in bulk, %d workers, %d connections each;"
            + " %s, %d cores, Java %s%n%n",
        tasks,
        workers,
        pool,
        LocalDate.now(),
        Runtime.getRuntime().availableProcessors(),
        Runtime.version());
    out.print(PeerTable.format(results));
    out.flush();
    return results.stream().anyMatch(PeerResult::timedOut) ? 1 : 0;
  }
}
