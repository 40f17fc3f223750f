package dev.spindle.core;

/** What a handler knows about the attempt it runs. */
public interface TaskContext {
  long taskId();

  String type();

  String queue();

  /** The attempt number, starting at 1. */
  int attempt();

  int maxAttempts();

  /**
   * The fencing token of this attempt's lease. Tokens only grow, so a downstream system can refuse
   * writes that carry a token lower than one it has seen.
   */
  long leaseToken();

  /** The payload as stored, in JSON. */
  String payloadJson();

  /**
   * True once the task was cancelled, timed out, lost its lease, or the worker is shutting down.
   * Long handlers should check it between steps and stop early.
   */
  boolean isCancelled();

  /** Throws {@link TaskCancelledException} if {@link #isCancelled()}. */
  void throwIfCancelled();

  /**
   * Records progress (any value Jackson can write). It is stored with the next heartbeat and shown
   * by {@code get(id)}; only the latest value is kept.
   */
  void reportProgress(Object progress);
}
