package dev.spindle.core.engine;

/** Why the engine asked a running attempt to stop. The first reason given wins. */
enum StopReason {
  /** An operator cancelled the task: a cooperative request, the thread is not interrupted. */
  CANCELLED,
  /** The per-attempt timeout passed: the thread is interrupted and the attempt counts as failed. */
  TIMED_OUT,
  /** Another worker may own the task now: the attempt must not report an outcome. */
  LEASE_LOST,
  /** The engine is closing: the task is given back unrun. */
  SHUTDOWN
}
