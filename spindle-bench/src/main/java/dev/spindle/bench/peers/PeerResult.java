package dev.spindle.bench.peers;

/**
 * One measured run of one system on one store under one workload, as the run's process reports it.
 *
 * @param submitSeconds from the first submit until the last submit returned
 * @param endToEndSeconds from the first submit until the last completion was committed, or the time
 *     box when {@code finished < tasks}
 * @param firstRunSeconds from the first submit until the first task ran (NaN if none did)
 * @param finished tasks whose completion was committed within the time box
 * @param latencyMillis submit-to-start p50, p99 and max; a task that never started is infinitely
 *     late
 * @param targetRate the steady submit rate asked for (0 for bulk workloads)
 * @param peakInFlight the most task bodies running at one moment
 * @param peakRssBytes the process's peak resident memory (-1 where unknown)
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
    double targetRate,
    int peakInFlight,
    long peakHeapBytes,
    long peakRssBytes,
    int peakThreads,
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
}
