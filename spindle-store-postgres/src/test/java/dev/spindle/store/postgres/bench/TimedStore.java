package dev.spindle.store.postgres.bench;

import dev.spindle.core.store.ClaimRequest;
import dev.spindle.core.store.ClaimedTask;
import dev.spindle.core.store.Enqueued;
import dev.spindle.core.store.HeartbeatRequest;
import dev.spindle.core.store.HeartbeatResult;
import dev.spindle.core.store.Outcome;
import dev.spindle.core.store.RescueResult;
import dev.spindle.core.store.TaskStore;
import dev.spindle.core.task.NewTask;
import dev.spindle.testkit.ForwardingTaskStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/** A store that counts calls, rows and time spent per method, to show where a run's time goes. */
final class TimedStore extends ForwardingTaskStore {
  private record Totals(LongAdder calls, LongAdder rows, LongAdder nanos) {}

  private final Map<String, Totals> totals = new ConcurrentHashMap<>();

  TimedStore(TaskStore delegate) {
    super(delegate);
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
  public int purgeFinished(Instant cutoff, int limit) {
    return timed("purge", () -> delegate.purgeFinished(cutoff, limit), n -> n);
  }
}
