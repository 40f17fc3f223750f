package dev.spindle.bench.peers;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spindle.bench.BenchDatabase;
import dev.spindle.bench.BenchOptions;
import dev.spindle.bench.PgUrlOption;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code spindle bench peers}: Spindle, db-scheduler and JobRunr side by side on the same stores,
 * next to the raw SQL ceiling of each store. Every run is a process of its own with the same heap
 * limit, in a fresh schema or SQLite file removed afterwards; runs of the systems alternate, so a
 * noisy minute on a shared machine hurts all of them alike; the table shows medians.
 */
@Command(
    name = "peers",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Spindle against db-scheduler and JobRunr (each with its defaults and with its best"
          + " documented settings) and against the raw SQL ceiling, on PostgreSQL and SQLite.",
      "Workloads: (a) no-op tasks submitted in bulk; (b) tasks sleeping --sleep-ms at"
          + " --sleep-workers; (h) --sleep-workers tasks sleeping --hold-ms, all in flight at"
          + " once; (c) one task per submit at a steady rate, half of Spindle's (a) rate on that"
          + " store unless --steady-rate says otherwise.",
      "Each run is its own JVM (-Xmx --heap, never shrinking its heap) with an unmeasured warm-up"
          + " (rounds at a fifth of the size for at least 20 s);"
          + " the table shows the median of --runs runs and the ratios Spindle/peer and"
          + " Spindle/ceiling."
    })
public final class PeersBench implements Callable<Integer> {
  @Mixin PgUrlOption pg;

  @Option(
      names = "--stores",
      split = ",",
      defaultValue = "postgres,sqlite",
      description = "stores to run on (default ${DEFAULT-VALUE})")
  List<String> stores;

  @Option(
      names = "--systems",
      split = ",",
      defaultValue = "spindle,db-scheduler,db-scheduler-tuned,jobrunr,jobrunr-tuned,ceiling",
      description = "systems to run (default ${DEFAULT-VALUE})")
  List<String> systems;

  @Option(
      names = "--workloads",
      split = ",",
      defaultValue = "a,b,h,c",
      description = "workloads to run (default ${DEFAULT-VALUE})")
  List<String> workloads;

  @Option(
      names = "--tasks",
      defaultValue = "20000",
      description = "tasks of workload (a) (default ${DEFAULT-VALUE})")
  int tasks;

  @Option(
      names = "--workers",
      defaultValue = "64",
      description = "workers of every system in (a) and (c) (default ${DEFAULT-VALUE})")
  int workers;

  @Option(
      names = "--pool",
      defaultValue = "10",
      description = "database connections of every system (default ${DEFAULT-VALUE})")
  int pool;

  @Option(
      names = "--sleep-tasks",
      defaultValue = "20000",
      description = "tasks of workload (b) (default ${DEFAULT-VALUE})")
  int sleepTasks;

  @Option(
      names = "--sleep-ms",
      defaultValue = "10",
      description = "how long a task of (b) sleeps (default ${DEFAULT-VALUE})")
  int sleepMillis;

  @Option(
      names = "--sleep-workers",
      defaultValue = "10000",
      description = "workers in (b) and (h), and the tasks of (h) (default ${DEFAULT-VALUE})")
  int sleepWorkers;

  @Option(
      names = "--hold-ms",
      defaultValue = "5000",
      description = "how long a task of (h) sleeps (default ${DEFAULT-VALUE})")
  int holdMillis;

  @Option(
      names = "--steady-seconds",
      defaultValue = "5",
      description = "how long (c) submits (default ${DEFAULT-VALUE})")
  int steadySeconds;

  @Option(
      names = "--steady-lead-in-seconds",
      defaultValue = "1",
      description =
          "how long (c) submits at its rate on the same system before the measured --steady-seconds"
              + " begin; the lead-in's tasks run and count for delivery, and their latency is shown"
              + " apart (default ${DEFAULT-VALUE})")
  int leadInSeconds;

  @Option(
      names = "--steady-rate",
      defaultValue = "0",
      description = "tasks/s of (c); 0 = half of Spindle's median (a) rate (default 0)")
  double steadyRate;

  @Option(
      names = "--runs",
      defaultValue = "3",
      description = "measured runs per system and workload (default ${DEFAULT-VALUE})")
  int runs;

  @Option(
      names = "--warmup",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "warm each run's JVM up first (default ${DEFAULT-VALUE})")
  boolean warmup;

  @Option(
      names = "--timeout",
      defaultValue = "180",
      description =
          "seconds one run may take before it counts as timed out (default 180; for (c) at most"
              + " 4 x (--steady-lead-in-seconds + --steady-seconds) + 20)")
  int timeoutSeconds;

  @Option(
      names = "--heap",
      defaultValue = "2g",
      description = "-Xmx of every run's JVM (default ${DEFAULT-VALUE})")
  String heap;

  @Option(
      names = "--jvm-arg",
      description =
          "an extra option for every run's JVM, e.g. -XX:StartFlightRecording to profile a run"
              + " (repeatable)")
  List<String> jvmArgs = new ArrayList<>();

  @Option(
      names = "--data-dir",
      description = "where the SQLite files go (default: a directory under java.io.tmpdir)")
  Path dataDir;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    validate();
    PrintWriter out = spec.commandLine().getOut();
    List<StoreKind> storeKinds = stores.stream().map(StoreKind::byId).toList();
    List<Workload> order =
        Arrays.stream(Workload.values()).filter(w -> workloads.contains(w.id)).toList();
    List<PeerSystem> chosen =
        PeerSystems.all().stream().filter(s -> systems.contains(s.id())).toList();
    String pgUrl = pg.url();
    if (storeKinds.contains(StoreKind.POSTGRES)) {
      BenchDatabase db = pg.reachable(spec);
      if (db == null) {
        return 2;
      }
      pgUrl = db.url(); // the runs take the pgjdbc form, whichever form was given
    }
    Path data = dataDir != null ? dataDir : Path.of(System.getProperty("java.io.tmpdir"));
    Path workDir = Files.createDirectories(data).resolve("spindle-peers");
    Files.createDirectories(workDir);
    Path log = workDir.resolve("runs.log");
    out.printf("each run's own output goes to %s%n", log);
    out.flush();

    List<PeerResult> results = new ArrayList<>();
    boolean failed = false;
    for (StoreKind store : storeKinds) {
      for (Workload workload : order) {
        double rate = workload == Workload.STEADY ? steadyRate(results, store) : 0;
        if (workload == Workload.STEADY && rate <= 0) {
          out.printf(
              "skipping (c) on %s: no Spindle (a) rate to halve; pass --steady-rate%n",
              store.title);
          continue;
        }
        for (int r = 1; r <= runs; r++) {
          for (PeerSystem system : chosen) {
            if (!system.supports(store, workload)) {
              continue;
            }
            RunSpec run = runSpec(system, store, workload, rate, workDir, pgUrl);
            out.printf(
                "%s (%s) run %d/%d: %s, %s… ",
                store.title, workload.id, r, runs, system.name(), system.settings(workload));
            out.flush();
            PeerResult result = launch(run, log);
            if (result == null) {
              out.printf("FAILED (see %s)%n", log);
              failed = true;
            } else {
              out.println(PeerTable.summary(result));
              results.add(result);
              failed |= result.systemId().equals("spindle") && result.timedOut();
            }
            out.flush();
          }
        }
      }
    }
    out.printf(
        "%n%s, %d cores, Java %s, %d run(s) each, medians; workers %d, pool %d, heap %s%n",
        LocalDate.now(),
        Runtime.getRuntime().availableProcessors(),
        Runtime.version(),
        runs,
        workers,
        pool,
        heap);
    out.print(PeerTable.format(results, this::describe));
    out.flush();
    return failed ? 1 : 0;
  }

  private void validate() {
    BenchOptions.atLeast(spec, "--tasks", tasks, 1);
    BenchOptions.atLeast(spec, "--workers", workers, 1);
    BenchOptions.atLeast(spec, "--pool", pool, 1);
    BenchOptions.atLeast(spec, "--sleep-tasks", sleepTasks, 1);
    BenchOptions.atLeast(spec, "--sleep-workers", sleepWorkers, 1);
    BenchOptions.atLeast(spec, "--steady-seconds", steadySeconds, 1);
    BenchOptions.atLeast(spec, "--runs", runs, 1);
    BenchOptions.atLeast(spec, "--timeout", timeoutSeconds, 1);
    BenchOptions.atLeast(spec, "--sleep-ms", sleepMillis, 0);
    BenchOptions.atLeast(spec, "--hold-ms", holdMillis, 0);
    BenchOptions.atLeast(spec, "--steady-rate", steadyRate, 0);
    BenchOptions.atLeast(spec, "--steady-lead-in-seconds", leadInSeconds, 0);
    try {
      stores.forEach(StoreKind::byId);
      workloads.forEach(Workload::byId);
      systems.forEach(PeerSystems::byId);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** Half of Spindle's median end-to-end rate of (a) on {@code store}, or --steady-rate. */
  private double steadyRate(List<PeerResult> results, StoreKind store) {
    if (steadyRate > 0) {
      return steadyRate;
    }
    double[] rates =
        results.stream()
            .filter(
                r ->
                    r.systemId().equals("spindle")
                        && r.store().equals(store.id)
                        && r.workload().equals(Workload.BULK.id)
                        && !r.timedOut())
            .mapToDouble(PeerResult::endToEndRate)
            .toArray();
    return rates.length == 0 ? 0 : Math.floor(PeerTable.median(rates) / 2);
  }

  private RunSpec runSpec(
      PeerSystem system,
      StoreKind store,
      Workload workload,
      double rate,
      Path workDir,
      String pgUrl) {
    int n =
        switch (workload) {
          case BULK -> tasks;
          case SLEEP -> sleepTasks;
          case HOLD -> sleepWorkers;
          case STEADY -> (int) Math.ceil(rate * steadySeconds);
        };
    int w = workload == Workload.SLEEP || workload == Workload.HOLD ? sleepWorkers : workers;
    long sleep =
        switch (workload) {
          case SLEEP -> sleepMillis;
          case HOLD -> holdMillis;
          default -> 0;
        };
    // A system that cannot keep up with (c) would take minutes to drain its backlog; what it did
    // by then says enough (unstarted tasks count as never started).
    int timeout =
        workload == Workload.STEADY
            ? Math.min(timeoutSeconds, (leadInSeconds + steadySeconds) * 4 + 20)
            : timeoutSeconds;
    int leadIn = workload == Workload.STEADY ? (int) Math.ceil(rate * leadInSeconds) : 0;
    return new RunSpec(
        system.id(),
        store.id,
        workload.id,
        n,
        w,
        pool,
        sleep,
        rate,
        leadIn,
        pgUrl,
        workDir.toString(),
        warmup,
        timeout);
  }

  /** The heading of one store's table for one workload. */
  private String describe(StoreKind store, Workload workload, List<PeerResult> rows) {
    PeerResult any = rows.get(0);
    String what =
        switch (workload) {
          case BULK -> String.format("%,d no-op tasks submitted in bulk", any.tasks());
          case SLEEP ->
              String.format("%,d tasks sleeping %d ms submitted in bulk", any.tasks(), sleepMillis);
          case HOLD ->
              String.format(
                  "%,d tasks sleeping %d ms, all meant to be in flight at once",
                  any.tasks(), holdMillis);
          case STEADY ->
              String.format(
                  "%,.0f tasks/s for %d s after a %d s lead-in, one task per submit (half of"
                      + " Spindle's (a))",
                  any.targetRate(), steadySeconds, leadInSeconds);
        };
    return String.format("%s (%s): %s, %d workers", store.title, workload.id, what, any.workers());
  }

  /** Runs {@code run} in a JVM of its own; null when it failed (its output is in {@code log}). */
  private PeerResult launch(RunSpec run, Path log) throws IOException, InterruptedException {
    ObjectMapper json = new ObjectMapper();
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // The heap is never handed back to the OS in a run: ResourceMeter's System.gc() before the
    // measured run would otherwise shrink it to a few MiB, and the run's first half second went on
    // growing it again, page by page (a 200 ms stall, measured: p99 of (c) on SQLite 180-280 ms
    // with the shrink, 12-16 ms without).
    List<String> command =
        new ArrayList<>(List.of(javaBin, "-Xmx" + heap, "-XX:MaxHeapFreeRatio=100"));
    command.addAll(jvmArgs);
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            PeerRun.class.getName(),
            json.writeValueAsString(run)));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process process = builder.start();
    PeerResult result = null;
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.startsWith(PeerRun.RESULT)) {
          result = json.readValue(line.substring(PeerRun.RESULT.length()), PeerResult.class);
        } else {
          Files.writeString(log, line + System.lineSeparator(), StandardOpenOption.APPEND);
        }
      }
    }
    int exit = process.waitFor();
    return exit == 0 ? result : null;
  }
}
