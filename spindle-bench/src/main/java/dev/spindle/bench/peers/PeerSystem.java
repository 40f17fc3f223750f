package dev.spindle.bench.peers;

import java.time.Duration;

/** A task system measured by {@code spindle bench peers}, set up in a schema of its own. */
interface PeerSystem {
  String name();

  /** The configuration in a few words, for the table. */
  String settings();

  /**
   * Starts the system's workers on {@code schema} (empty, created by the caller), submits {@code
   * tasks} no-op tasks in bulk, waits until all completed or {@code timeout} passed, and stops.
   */
  PeerResult run(String schema, int tasks, int workers, Duration timeout) throws Exception;
}
