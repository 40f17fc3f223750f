package dev.spindle.bench.peers;

/**
 * What one run's process is to do, passed to it as JSON.
 *
 * @param tasks the tasks measured
 * @param rate the steady submit rate, tasks per second (steady workload only)
 * @param leadInTasks tasks submitted at the steady rate before the measured ones, on the same
 *     system: they run and count for delivery, but the latency figures leave them out (steady
 *     workload only)
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
    int leadInTasks,
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
        0,
        pgUrl,
        dataDir,
        false,
        timeoutSeconds);
  }
}
