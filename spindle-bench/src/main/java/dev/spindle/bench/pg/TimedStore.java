package dev.spindle.bench.pg;

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
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * A store that counts calls, rows and time spent per method, to show where a run's time goes. It
 * passes every call to the wrapped store, so the engine sees the same store (a lost {@code
 * onTasksAvailable} would turn wake-ups into polling); only the calls of the engine's hot path and
 * maintenance are timed.
 */
final class TimedStore implements TaskStore {
  private record Totals(LongAdder calls, LongAdder rows, LongAdder nanos) {}

  private final TaskStore delegate;
  private final Map<String, Totals> totals = new ConcurrentHashMap<>();

  TimedStore(TaskStore delegate) {
    this.delegate = delegate;
  }

  private <T> T timed(String call, Supplier<T> work, ToIntFunction<T> rows) {
    long t0 = System.nanoTime();
    T result = work.get();
    long took = System.nanoTime() - t0;
    Totals t =
        totals.computeIfAbsent(
            call, k -> new Totals(new LongAdder(), new LongAdder(), new LongAdder()));
    t.calls().increment();
    t.rows().add(rows.applyAsInt(result));
    t.nanos().add(took);
    return result;
  }

  /** One line per method: calls, rows per call, mean latency, total seconds spent in calls. */
  String report() {
    StringBuilder b = new StringBuilder();
    new TreeMap<>(totals)
        .forEach(
            (call, t) -> {
              long calls = t.calls().sum();
              b.append(
                  String.format(
                      "  %-10s %8d calls  %7.1f rows/call  %8.2f ms/call  %7.2f s in calls%n",
                      call,
                      calls,
                      (double) t.rows().sum() / calls,
                      t.nanos().sum() / 1e6 / calls,
                      t.nanos().sum() / 1e9));
            });
    return b.toString();
  }

  @Override
  public List<Enqueued> enqueue(List<NewTask> tasks) {
    return timed("enqueue", () -> delegate.enqueue(tasks), List::size);
  }

  @Override
  public EnqueueResult enqueueAndStart(List<NewTask> tasks, ClaimRequest start) {
    return timed("enqueue", () -> delegate.enqueueAndStart(tasks, start), r -> r.enqueued().size());
  }

  @Override
  public List<Enqueued> enqueue(Connection callerConnection, List<NewTask> tasks) {
    return delegate.enqueue(callerConnection, tasks);
  }

  @Override
  public List<ClaimedTask> claim(ClaimRequest request) {
    return timed("claim", () -> delegate.claim(request), List::size);
  }

  @Override
  public List<Long> complete(List<Outcome> outcomes) {
    return timed("complete", () -> delegate.complete(outcomes), r -> outcomes.size());
  }

  @Override
  public HeartbeatResult heartbeat(HeartbeatRequest request) {
    return timed("heartbeat", () -> delegate.heartbeat(request), r -> request.leases().size());
  }

  @Override
  public RescueResult rescueExpired(Instant now, int limit) {
    return timed("rescue", () -> delegate.rescueExpired(now, limit), RescueResult::total);
  }

  @Override
  public int expireOverdue(Instant now, int limit) {
    return timed("expire", () -> delegate.expireOverdue(now, limit), n -> n);
  }

  @Override
  public int promoteWaiting(int limit) {
    return timed("promote", () -> delegate.promoteWaiting(limit), n -> n);
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
    return timed("purge", () -> delegate.purgeFinished(cutoff, limit), n -> n);
  }

  @Override
  public Subscription onTasksAvailable(Consumer<String> queueListener) {
    return delegate.onTasksAvailable(queueListener);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
