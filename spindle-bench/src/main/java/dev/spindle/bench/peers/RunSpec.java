package dev.spindle.bench.peers;

/**
 * What one run's process is to do, passed to it as JSON.
 *
 * @param rate the steady submit rate, tasks per second (steady workload only)
 * @param dataDir where SQLite stages are made
 * @param warmup whether to warm up first with rounds of a fifth of the workload, each on a stage of
 *     its own, unmeasured
 */
record RunSpec(
    String system,
    String store,
    String workload,
    int tasks,
    int workers,
    int pool,
    long sleepMillis,
    double rate,
    String pgUrl,
    String dataDir,
    boolean warmup,
    int timeoutSeconds) {

  RunSpec warmupSized() {
    return new RunSpec(
        system,
        store,
        workload,
        Math.max(100, tasks / 5),
        workers,
        pool,
        sleepMillis,
        rate,
        pgUrl,
        dataDir,
        false,
        timeoutSeconds);
  }
}
