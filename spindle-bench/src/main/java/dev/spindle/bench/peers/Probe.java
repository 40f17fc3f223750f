package dev.spindle.bench.peers;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The body every system runs, and what it records: how often each task ran, when each started
 * against when it was submitted, and how many ran at once. Tasks are numbered 0..n-1; the number is
 * the task's whole payload in every system. JobRunr calls its job through a static method it found
 * by analysing a lambda, so the probe of the run in progress is reachable statically too.
 */
public final class Probe {
  private static volatile Probe current = new Probe(0, 0, 0);

  private final AtomicIntegerArray runs;
  private final AtomicLongArray submittedAt;
  private final AtomicLongArray startedAt;
  private final long sleepMillis;
  private final int measuredFrom;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger peakInFlight = new AtomicInteger();
  private final AtomicLong firstRunNanos = new AtomicLong();

  private Probe(int tasks, long sleepMillis, int measuredFrom) {
    this.runs = new AtomicIntegerArray(tasks);
    this.submittedAt = new AtomicLongArray(tasks);
    this.startedAt = new AtomicLongArray(tasks);
    this.sleepMillis = sleepMillis;
    this.measuredFrom = measuredFrom;
  }

  /**
   * A fresh probe for {@code tasks} tasks that each sleep {@code sleepMillis}, made current, whose
   * latency figures leave out the tasks before {@code measuredFrom}: a lead-in that runs (and
   * counts for delivery) but is reported on its own.
   */
  static Probe begin(int tasks, long sleepMillis, int measuredFrom) {
    Probe probe = new Probe(tasks, sleepMillis, measuredFrom);
    current = probe;
    return probe;
  }

  /** Notes that {@code task} is being submitted now; its start latency counts from here. */
  void submitting(int task, long nanos) {
    submittedAt.set(task, nanos);
  }

  /** Notes that tasks {@code from}..{@code to}-1 are being submitted now, as one bulk. */
  void submitting(int from, int to, long nanos) {
    for (int i = from; i < to; i++) {
      submittedAt.set(i, nanos);
    }
  }

  /** The task body: records the start, sleeps if the workload says so, counts the run. */
  void run(int task) {
    long now = System.nanoTime();
    firstRunNanos.compareAndSet(0, now);
    startedAt.compareAndSet(task, 0, now);
    int running = inFlight.incrementAndGet();
    peakInFlight.accumulateAndGet(running, Math::max);
    try {
      if (sleepMillis > 0) {
        Thread.sleep(sleepMillis);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("task " + task + " interrupted", e);
    } finally {
      inFlight.decrementAndGet();
    }
    runs.incrementAndGet(task);
  }

  /** The JobRunr job: public and static so JobRunr can call it by name. */
  public static void runStatic(int task) {
    current.run(task);
  }

  int peakInFlight() {
    return peakInFlight.get();
  }

  /** Seconds from {@code startNanos} until the first task ran (NaN if none did). */
  double firstRunSeconds(long startNanos) {
    long first = firstRunNanos.get();
    return first == 0 ? Double.NaN : (first - startNanos) / 1e9;
  }

  /**
   * Submit-to-start latency in milliseconds at p50, p99 and max over the measured tasks (all but
   * the lead-in); a task that never started counts as infinitely late, so a system that fell behind
   * shows it.
   */
  double[] startLatencyMillis() {
    return startLatencyMillis(measuredFrom, runs.length());
  }

  /** The same figures over the lead-in's tasks alone; empty when there was no lead-in. */
  double[] leadInLatencyMillis() {
    return measuredFrom == 0 ? new double[0] : startLatencyMillis(0, measuredFrom);
  }

  private double[] startLatencyMillis(int from, int to) {
    int n = to - from;
    double[] ms = new double[n];
    for (int i = 0; i < n; i++) {
      long started = startedAt.get(from + i);
      ms[i] =
          started == 0
              ? Double.POSITIVE_INFINITY
              : (started - submittedAt.get(from + i)) / 1_000_000.0;
    }
    Arrays.sort(ms);
    return n == 0 ? new double[] {0, 0, 0} : new double[] {at(ms, 0.50), at(ms, 0.99), ms[n - 1]};
  }

  private static double at(double[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }

  /** What the counts say about delivery, once every task has finished. */
  String delivery() {
    int never = 0;
    int repeated = 0;
    for (int i = 0; i < runs.length(); i++) {
      int n = runs.get(i);
      if (n == 0) {
        never++;
      } else if (n > 1) {
        repeated++;
      }
    }
    if (never > 0) {
      return never + " NEVER RAN";
    }
    return repeated == 0 ? "exactly once" : "at least once (" + repeated + " repeated)";
  }
}
