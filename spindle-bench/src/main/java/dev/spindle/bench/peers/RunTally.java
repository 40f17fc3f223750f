package dev.spindle.bench.peers;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many times each task of one run executed, by task number. JobRunr calls its job through a
 * static method it found by analysing a lambda, so the tally of the run in progress is reachable
 * statically as well.
 */
public final class RunTally {
  private static volatile RunTally current = new RunTally(0);

  private final AtomicIntegerArray runs;
  private final AtomicLong firstRunNanos = new AtomicLong();

  RunTally(int tasks) {
    this.runs = new AtomicIntegerArray(tasks);
  }

  /** A fresh tally for {@code tasks} tasks, also made the one {@link #ranStatic} records into. */
  static RunTally begin(int tasks) {
    RunTally tally = new RunTally(tasks);
    current = tally;
    return tally;
  }

  /** Records one execution of task {@code task}; the no-op job body of every system. */
  void ran(int task) {
    if (firstRunNanos.get() == 0) {
      firstRunNanos.compareAndSet(0, System.nanoTime());
    }
    runs.incrementAndGet(task);
  }

  /**
   * Seconds from {@code startNanos} until the first task ran: how long the system waited before it
   * noticed work, a poll interval for the polling systems.
   */
  double firstRunSeconds(long startNanos) {
    long first = firstRunNanos.get();
    return first == 0 ? Double.NaN : (first - startNanos) / 1e9;
  }

  /** The JobRunr job: public and static so JobRunr can call it by name. */
  public static void ranStatic(int task) {
    current.ran(task);
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
