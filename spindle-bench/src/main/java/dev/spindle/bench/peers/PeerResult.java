package dev.spindle.bench.peers;

/**
 * One system's run of workload (a): {@code tasks} submitted in bulk, then drained.
 *
 * @param submitSeconds from the first submit until the last submit returned
 * @param endToEndSeconds from the first submit until the last completion was committed, or the time
 *     box when {@code finished < tasks}
 * @param firstRunSeconds from the first submit until the first task ran (NaN if none did)
 * @param finished tasks whose completion was committed within the time box
 * @param delivery what the per-task execution counts say ("exactly once", …)
 */
record PeerResult(
    String system,
    String settings,
    int tasks,
    double submitSeconds,
    double endToEndSeconds,
    double firstRunSeconds,
    int finished,
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
