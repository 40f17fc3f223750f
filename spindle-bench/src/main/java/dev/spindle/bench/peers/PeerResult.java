package dev.spindle.bench.peers;

/**
 * One measured run of one system on one store under one workload, as the run's process reports it.
 *
 * @param submitSeconds from the first measured submit (the first after any lead-in) until the last
 *     submit returned
 * @param endToEndSeconds from the first measured submit until the last completion was committed, or
 *     the time box when {@code finished < tasks}
 * @param firstRunSeconds from the first submit until the first task ran (NaN if none did)
 * @param finished tasks whose completion was committed within the time box
 * @param latencyMillis submit-to-start p50, p99 and max; a task that never started is infinitely
 *     late
 * @param leadInLatencyMillis the same over the lead-in's tasks (steady workload), empty without one
 * @param targetRate the steady submit rate asked for (0 for bulk workloads)
 * @param peakInFlight the most task bodies running at one moment
 * @param peakRssBytes the process's peak resident memory (-1 where unknown)
 * @param cpuSeconds CPU time of the run's JVM from the first submit to the end, all its threads
 *     (SQLite included, a PostgreSQL server not; -1 where unknown)
 * @param delivery what the per-task execution counts say ("exactly once", …)
 */
record PeerResult(
    String systemId,
    String system,
    String settings,
    String store,
    String workload,
    int tasks,
    int workers,
    double submitSeconds,
    double endToEndSeconds,
    double firstRunSeconds,
    int finished,
    double[] latencyMillis,
    double[] leadInLatencyMillis,
    double targetRate,
    int peakInFlight,
    long peakHeapBytes,
    long peakRssBytes,
    int peakThreads,
    double cpuSeconds,
    String delivery) {

  boolean timedOut() {
    return finished < tasks;
  }

  double submitRate() {
    return tasks / submitSeconds;
  }

  double endToEndRate() {
    return tasks / endToEndSeconds;
  }

  /** The JVM's CPU time per task, in microseconds (negative where unknown). */
  double cpuMicrosPerTask() {
    return cpuSeconds < 0 ? -1 : cpuSeconds * 1e6 / tasks;
  }
}
