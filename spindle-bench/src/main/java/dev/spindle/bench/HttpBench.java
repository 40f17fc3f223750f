package dev.spindle.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code spindle bench http}: submit throughput and latency through the HTTP API. */
@Command(
    name = "http",
    mixinStandardHelpOptions = true,
    description = {
      "Throughput and latency of the HTTP API: starts a server in this process on a free port"
          + " with a fresh SQLite store (synchronous=FULL: a 201 means the tasks were committed)"
          + " and the built-in noop type, then --clients threads each send one request at a time"
          + " over a kept-alive HTTP/1.1 connection (java.net.http.HttpClient).",
      "Scenarios: single (POST /v1/tasks, one task per request) and batch (POST"
          + " /v1/tasks/batch, --batch tasks per request). Each runs on its own fresh server"
          + " after a warm-up run, and reports accepted tasks/s (2xx responses x tasks),"
          + " processed tasks/s (until every accepted task has finished) and request latency."
    })
public final class HttpBench implements Callable<Integer> {
  /** What one request carries. */
  enum Scenario {
    single,
    batch
  }

  @Option(
      names = "--clients",
      paramLabel = "N",
      defaultValue = "64",
      description =
          "concurrent client threads, one request in flight each (default ${DEFAULT-VALUE})")
  int clients;

  @ArgGroup(exclusive = true)
  Length length = new Length();

  /** How long each scenario sends: a time or a number of tasks. */
  static final class Length {
    @Option(
        names = "--seconds",
        paramLabel = "S",
        defaultValue = "10",
        description = "send for S seconds per scenario (default ${DEFAULT-VALUE})")
    int seconds = 10;

    @Option(
        names = "--tasks",
        paramLabel = "N",
        description = "send N tasks per scenario instead of for a time")
    Long tasks;
  }

  @Option(
      names = "--batch",
      paramLabel = "N",
      defaultValue = "100",
      description = "tasks per request in the batch scenario (default ${DEFAULT-VALUE})")
  int batch;

  @Option(
      names = "--scenario",
      paramLabel = "NAME",
      split = ",",
      defaultValue = "single,batch",
      description = "which scenarios to run: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
  List<Scenario> scenarios;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      defaultValue = "256",
      description = "worker slots of the server's queue (default ${DEFAULT-VALUE})")
  int concurrency;

  @Option(
      names = "--warmup-seconds",
      paramLabel = "S",
      defaultValue = "15",
      description =
          "unreported run before each scenario, so that the JIT has compiled the hot paths"
              + " (on 2 cores it is still busy after 15 s); 0 skips (default ${DEFAULT-VALUE})")
  int warmupSeconds;

  @Option(
      names = "--connections",
      paramLabel = "MODE",
      defaultValue = "SHARED",
      description =
          "SHARED: one HttpClient for all threads (measured cheaper); PER_CLIENT: one each"
              + " (default ${DEFAULT-VALUE})")
  HttpLoadRun.Connections connections;

  @Option(
      names = "--cpu",
      description = "also print CPU time per request and per task, by thread group")
  boolean cpuDetail;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description = "directory for the database files (default: a new temporary directory)")
  Path dir;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (clients < 1
        || batch < 1
        || concurrency < 1
        || warmupSeconds < 0
        || length.seconds < 1
        || (length.tasks != null && length.tasks < 1)) {
      throw new ParameterException(
          spec.commandLine(),
          "--clients, --batch, --concurrency, --seconds and --tasks must be >= 1,"
              + " --warmup-seconds >= 0");
    }
    Path base =
        dir != null
            ? Files.createDirectories(dir)
            : Files.createTempDirectory("spindle-http-bench");
    try {
      return measure(base);
    } finally {
      if (dir == null) {
        Files.deleteIfExists(base); // each run deletes its own database files
      }
    }
  }

  private int measure(Path base) throws Exception {
    HttpLoadRun runs = new HttpLoadRun(base, concurrency, connections);
    HttpLoadRun.Limit limit =
        length.tasks != null
            ? HttpLoadRun.Limit.ofTasks(length.tasks)
            : HttpLoadRun.Limit.ofSeconds(length.seconds);

    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "Spindle over HTTP on SQLite (synchronous=FULL: a 201 means the tasks were committed)%n"
            + "%s, %d cores, Java %s, %d clients (%s, HTTP/1.1 keep-alive), %s per scenario,"
            + " queue concurrency %d%n%n",
        LocalDate.now(),
        Runtime.getRuntime().availableProcessors(),
        Runtime.version(),
        clients,
        connections == HttpLoadRun.Connections.SHARED
            ? "one shared HttpClient"
            : "one HttpClient each",
        length.tasks != null ? length.tasks + " tasks" : length.seconds + " s",
        concurrency);
    out.printf(
        "%-18s %12s %16s %17s %12s %12s %8s%n",
        "tasks/request",
        "requests/s",
        "accepted tasks/s",
        "processed tasks/s",
        "latency p50",
        "p99",
        "errors");
    int failed = 0;
    for (Scenario s : scenarios) {
      int size = s == Scenario.single ? 1 : batch;
      if (warmupSeconds > 0) {
        runs.run(clients, size, HttpLoadRun.Limit.ofSeconds(warmupSeconds));
      }
      HttpLoadRun.Result r = runs.run(clients, size, limit);
      out.printf(
          Locale.ROOT,
          "%-18s %,12.0f %,16.0f %,17.0f %12s %12s %,8d%s%n",
          size == 1 ? "1 (POST /v1/tasks)" : size + " (batch)",
          r.requestRate(),
          r.acceptedRate(),
          r.processedRate(),
          LatencyRecorder.Summary.millis(r.latency().p50Nanos()),
          LatencyRecorder.Summary.millis(r.latency().p99Nanos()),
          r.errors(),
          r.allFinished() ? "" : "  (not all tasks finished within 10 minutes)");
      out.printf(
          Locale.ROOT,
          "    %,d tasks accepted in %.1f s, all finished %.1f s after the first request%n",
          r.tasks(),
          r.submitSeconds(),
          r.endToEndSeconds());
      if (cpuDetail) {
        out.println("    " + r.submitCpu());
        out.println("    " + r.totalCpu());
      }
      if (r.firstError() != null) {
        out.println("    first error: " + r.firstError());
      }
      if (r.errors() > 0 || !r.allFinished()) {
        failed++;
      }
    }
    out.println();
    out.println(
        "accepted: 2xx responses x tasks per request, per second of sending; processed: accepted"
            + " tasks / time from the first request until the last of them finished");
    return failed == 0 ? ExitCode.OK : ExitCode.SOFTWARE;
  }
}
