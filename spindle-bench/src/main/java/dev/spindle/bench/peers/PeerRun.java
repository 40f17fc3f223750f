package dev.spindle.bench.peers;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spindle.bench.BenchDatabase;
import dev.spindle.bench.Pacer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One run in a process of its own, so that memory and threads are the measured system's alone and
 * no system runs on code another one warmed up: an optional unmeasured warm-up (rounds at a fifth
 * of the size for at least {@link #WARMUP}), then the measured run. Prints {@code RESULT <json>} on
 * standard output.
 */
public final class PeerRun {
  static final String RESULT = "RESULT ";

  /** How many one-task submits of the steady workload may be under way at once. */
  private static final int MAX_OUTSTANDING_SUBMITS = 1000;

  /** The least time a run's JVM spends warming up before the measured run. */
  static final Duration WARMUP = Duration.ofSeconds(20);

  private PeerRun() {}

  public static void main(String[] args) throws Exception {
    ObjectMapper json = new ObjectMapper();
    RunSpec spec = json.readValue(args[0], RunSpec.class);
    PeerSystem system = PeerSystems.byId(spec.system());
    if (spec.warmup()) {
      // Rounds of a fifth of the run for at least WARMUP: the JIT compilers took 6 of 12 s of CPU
      // in a Spindle run after a single such round, which measured the compiler, not the system.
      long until = System.nanoTime() + WARMUP.toNanos();
      do {
        run(system, spec.warmupSized(), null);
      } while (System.nanoTime() - until < 0);
    }
    PeerResult result;
    try (ResourceMeter meter = ResourceMeter.start()) {
      result = run(system, spec, meter);
    }
    System.out.println(RESULT + json.writeValueAsString(result));
    System.out.flush();
    // Some peers leave non-daemon threads behind after stopping.
    System.exit(0);
  }

  static PeerResult run(PeerSystem system, RunSpec spec, ResourceMeter meter) throws Exception {
    StoreKind store = StoreKind.byId(spec.store());
    Workload workload = Workload.byId(spec.workload());
    int tasks = spec.tasks();
    int lead = workload == Workload.STEADY ? spec.leadInTasks() : 0;
    int all = lead + tasks;
    try (Stage stage =
        store == StoreKind.POSTGRES
            ? Stage.postgres(new BenchDatabase(spec.pgUrl()))
            : Stage.sqlite(Path.of(spec.dataDir()))) {
      Probe probe = Probe.begin(all, spec.sleepMillis(), lead);
      try (PeerSystem.Running running = system.start(stage, spec.workers(), spec.pool(), probe)) {
        long t0 = System.nanoTime();
        Window measured;
        if (workload == Workload.STEADY) {
          measured = paced(running, probe, all, lead, spec.rate(), t0);
        } else {
          measured = new Window(t0, ResourceMeter.processCpuNanos());
          probe.submitting(0, tasks, t0);
          running.submitBulk(tasks);
        }
        long from = measured.startNanos();
        long cpu0 = measured.cpuNanos();
        long submitted = System.nanoTime();
        int done =
            Drain.await(running::completed, all, t0, Duration.ofSeconds(spec.timeoutSeconds()));
        long end = System.nanoTime();
        long cpu1 = ResourceMeter.processCpuNanos();
        return new PeerResult(
            system.id(),
            system.name(),
            system.settings(workload),
            store.id,
            workload.id,
            tasks,
            spec.workers(),
            (submitted - from) / 1e9,
            (end - from) / 1e9,
            probe.firstRunSeconds(t0),
            Math.max(0, done - lead),
            probe.startLatencyMillis(),
            probe.leadInLatencyMillis(),
            workload == Workload.STEADY ? spec.rate() : 0,
            probe.peakInFlight(),
            meter == null ? 0 : meter.peakHeapBytes(),
            ResourceMeter.peakRssBytes(),
            meter == null ? 0 : meter.peakThreads(),
            cpu0 < 0 || cpu1 < 0 ? -1 : (cpu1 - cpu0) / 1e9,
            done < all ? "-" : probe.delivery());
      }
    }
  }

  /**
   * Submits one task at a time at {@code rate} per second from {@code t0}, each from a virtual
   * thread of its own so a slow submit does not delay the next one, paced by a {@link Pacer}.
   * Latency counts from each task's scheduled time, so a system that falls behind is charged for
   * it. At most {@value #MAX_OUTSTANDING_SUBMITS} submits are under way at once. The first {@code
   * lead} tasks are the lead-in; the measured window opens when the first task after it is due.
   */
  private static Window paced(
      PeerSystem.Running running, Probe probe, int tasks, int lead, double rate, long t0)
      throws Exception {
    Window measured = null;
    Pacer pacer = new Pacer(t0, rate);
    Semaphore outstanding = new Semaphore(MAX_OUTSTANDING_SUBMITS);
    AtomicReference<Exception> failure = new AtomicReference<>();
    try (ExecutorService submitters = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < tasks && failure.get() == null; i++) {
        long due = pacer.awaitDue(i);
        if (i == lead) {
          measured = new Window(due, ResourceMeter.processCpuNanos());
        }
        probe.submitting(i, due);
        outstanding.acquire();
        int task = i;
        submitters.execute(
            () -> {
              try {
                running.submit(task);
              } catch (Exception e) {
                failure.compareAndSet(null, e);
              } finally {
                outstanding.release();
              }
            });
      }
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    return measured;
  }

  /** Where the measured run begins: its first task's scheduled time, and the CPU time then. */
  private record Window(long startNanos, long cpuNanos) {}
}
