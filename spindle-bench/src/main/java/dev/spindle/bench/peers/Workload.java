package dev.spindle.bench.peers;

/** What a run asks of a system. */
enum Workload {
  /** N no-op tasks submitted in bulk, then drained: throughput. */
  BULK("a", "no-op tasks submitted in bulk"),
  /** Tasks that sleep (I/O-bound) submitted in bulk, many workers: throughput when waiting. */
  SLEEP("b", "sleeping tasks submitted in bulk"),
  /**
   * As many sleeping tasks as workers, each sleeping long enough that all are in flight at once.
   */
  HOLD("h", "long sleeping tasks, all in flight at once"),
  /** One task per submit at a steady rate: submit-to-start latency. */
  STEADY("c", "one task per submit at a steady rate");

  final String id;
  final String title;

  Workload(String id, String title) {
    this.id = id;
    this.title = title;
  }

  static Workload byId(String id) {
    for (Workload w : values()) {
      if (w.id.equals(id)) {
        return w;
      }
    }
    throw new IllegalArgumentException("unknown workload '" + id + "'; allowed: a, b, h, c");
  }
}
