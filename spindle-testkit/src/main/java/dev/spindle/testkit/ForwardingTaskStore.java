package dev.spindle.testkit;

import dev.spindle.core.store.CancelResult;
import dev.spindle.core.store.ClaimRequest;
import dev.spindle.core.store.ClaimedTask;
import dev.spindle.core.store.EnqueueResult;
import dev.spindle.core.store.Enqueued;
import dev.spindle.core.store.HeartbeatRequest;
import dev.spindle.core.store.HeartbeatResult;
import dev.spindle.core.store.Outcome;
import dev.spindle.core.store.RescueResult;
import dev.spindle.core.store.RetryResult;
import dev.spindle.core.store.TaskStore;
import dev.spindle.core.task.NewTask;
import dev.spindle.core.task.Page;
import dev.spindle.core.task.PageRequest;
import dev.spindle.core.task.QueueStats;
import dev.spindle.core.task.TaskFilter;
import dev.spindle.core.task.TaskInfo;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * A store that passes every call to another one; subclasses override the calls they watch or
 * change. Every SPI method is forwarded here, so a wrapper never silently drops one (a lost {@code
 * onTasksAvailable} would turn wake-ups into polling).
 */
public abstract class ForwardingTaskStore implements TaskStore {
  protected final TaskStore delegate;

  protected ForwardingTaskStore(TaskStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public List<Enqueued> enqueue(List<NewTask> tasks) {
    return delegate.enqueue(tasks);
  }

  @Override
  public EnqueueResult enqueueAndStart(List<NewTask> tasks, ClaimRequest start) {
    return delegate.enqueueAndStart(tasks, start);
  }

  /**
   * Goes through {@link #enqueueAndStart(List, ClaimRequest)}, which a subclass may watch, and
   * hands the started tasks to {@code onStarted} once it returns: the delegate's earlier hand-off,
   * on its own thread, is given up.
   */
  @Override
  public EnqueueResult enqueueAndStart(
      List<NewTask> tasks, ClaimRequest start, Consumer<List<ClaimedTask>> onStarted) {
    return TaskStore.super.enqueueAndStart(tasks, start, onStarted);
  }

  @Override
  public List<ClaimedTask> claim(ClaimRequest request) {
    return delegate.claim(request);
  }

  @Override
  public List<Long> complete(List<Outcome> outcomes) {
    return delegate.complete(outcomes);
  }

  @Override
  public HeartbeatResult heartbeat(HeartbeatRequest request) {
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
  public List<Enqueued> enqueue(Connection callerConnection, List<NewTask> tasks) {
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
