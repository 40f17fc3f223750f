package dev.spindle.bench.peers;

import java.sql.SQLException;

/**
 * A task system measured by {@code spindle bench peers}, with one configuration. Implementations
 * adapt the system's own API to the few calls the workloads need; everything else (timing, what
 * ran, memory) is measured outside them, the same for every system.
 */
interface PeerSystem {
  /** A short unique name for the command line: spindle, db-scheduler-tuned, … */
  String id();

  /** The system's name for the table. */
  String name();

  /** The configuration in a few words, for the table. */
  String settings();

  /** The configuration for {@code workload}, where the system runs workloads differently. */
  default String settings(Workload workload) {
    return settings();
  }

  boolean supports(StoreKind store, Workload workload);

  /**
   * Starts the system on {@code stage} (empty) with {@code workers} workers and at most {@code
   * pool} database connections, running {@link Probe#run} for every task.
   */
  Running start(Stage stage, int workers, int pool, Probe probe) throws Exception;

  /** A started system. Closing it stops its workers and releases its connections. */
  interface Running extends AutoCloseable {
    /** Submits tasks 0..{@code tasks}-1 the fastest way the system offers for many at once. */
    void submitBulk(int tasks) throws Exception;

    /** Submits task {@code task} alone; may be called from many threads at once. */
    void submit(int task) throws Exception;

    /** How many tasks' completions the system has committed so far. */
    int completed() throws Exception;

    @Override
    void close() throws SQLException;
  }
}
