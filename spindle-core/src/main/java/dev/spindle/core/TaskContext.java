package dev.spindle.core;

import dev.spindle.core.task.TaskInfo;
import java.util.List;

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

  /**
   * Submits tasks from inside a handler, all or nothing, for example to split a job into parts and
   * add a merge task that depends on them. Give the requests idempotency keys derived from {@link
   * #taskId()} if a retried attempt must not submit them twice.
   */
  List<Long> submitAll(List<TaskRequest> requests);

  /** Submits one task; see {@link #submitAll(List)}. */
  default long submit(TaskRequest request) {
    return submitAll(List.of(request)).get(0);
  }

  /**
   * The tasks this one depends on, as stored now and in id order; a task purged since is left out.
   * Each is final by the time this task runs.
   */
  List<TaskInfo> dependencies();
}
