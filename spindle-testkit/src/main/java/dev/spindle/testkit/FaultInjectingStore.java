package dev.spindle.testkit;

import dev.spindle.core.store.CancelResult;
import dev.spindle.core.store.ClaimRequest;
import dev.spindle.core.store.ClaimedTask;
import dev.spindle.core.store.Enqueued;
import dev.spindle.core.store.HeartbeatRequest;
import dev.spindle.core.store.HeartbeatResult;
import dev.spindle.core.store.Outcome;
import dev.spindle.core.store.RescueResult;
import dev.spindle.core.store.RetryResult;
import dev.spindle.core.store.StoreException;
import dev.spindle.core.store.TaskStore;
import dev.spindle.core.task.NewTask;
import dev.spindle.core.task.Page;
import dev.spindle.core.task.PageRequest;
import dev.spindle.core.task.QueueStats;
import dev.spindle.core.task.TaskFilter;
import dev.spindle.core.task.TaskInfo;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * A real store with a switch that makes the worker-side calls (claim, heartbeat, complete) fail as
 * if the database could not be reached. Reads and operator calls still go through, so a test can
 * watch what the engine does while cut off.
 */
public final class FaultInjectingStore implements TaskStore {
  private final TaskStore delegate;
  private volatile boolean unreachable;

  public FaultInjectingStore(TaskStore delegate) {
    this.delegate = delegate;
  }

  public void unreachable(boolean on) {
    this.unreachable = on;
  }

  private void check(String call) {
    if (unreachable) {
      throw new StoreException(call + " failed: store unreachable (injected fault)");
    }
  }

  @Override
  public List<Enqueued> enqueue(List<NewTask> tasks) {
    return delegate.enqueue(tasks);
  }

  @Override
  public List<ClaimedTask> claim(ClaimRequest request) {
    check("claim");
    return delegate.claim(request);
  }

  @Override
  public List<Long> complete(List<Outcome> outcomes) {
    check("complete");
    return delegate.complete(outcomes);
  }

  @Override
  public HeartbeatResult heartbeat(HeartbeatRequest request) {
    check("heartbeat");
    return delegate.heartbeat(request);
  }

  @Override
  public RescueResult rescueExpired(Instant now, int limit) {
    return delegate.rescueExpired(now, limit);
  }

  @Override
  public int expireOverdue(Instant now, int limit) {
    return delegate.expireOverdue(now, limit);
  }

  @Override
  public Subscription onTasksAvailable(Consumer<String> queueListener) {
    return delegate.onTasksAvailable(queueListener);
  }

  @Override
  public List<Enqueued> enqueue(java.sql.Connection callerConnection, List<NewTask> tasks) {
    return delegate.enqueue(callerConnection, tasks);
  }

  @Override
  public int promoteWaiting(int limit) {
    return delegate.promoteWaiting(limit);
  }

  @Override
  public List<CancelResult> cancel(List<Long> ids, Instant now) {
    return delegate.cancel(ids, now);
  }

  @Override
  public List<RetryResult> retry(List<Long> ids, Instant now) {
    return delegate.retry(ids, now);
  }

  @Override
  public List<TaskInfo> get(List<Long> ids) {
    return delegate.get(ids);
  }

  @Override
  public Page<TaskInfo> list(TaskFilter filter, PageRequest page) {
    return delegate.list(filter, page);
  }

  @Override
  public List<QueueStats> stats(Instant now) {
    return delegate.stats(now);
  }

  @Override
  public int purgeFinished(Instant cutoff, int limit) {
    return delegate.purgeFinished(cutoff, limit);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
