package dev.spindle.core.store;

import dev.spindle.core.task.NewTask;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * What stores share to implement {@link TaskStore#enqueueAndStart}: which new tasks may start, and
 * the leased task each one becomes.
 */
public final class StartOnSubmit {
  private StartOnSubmit() {}

  /**
   * The indexes of the tasks that may be leased for {@code start}, best first in claim order, at
   * most {@code start.max()}: tasks of its queue, due at {@code start.now()}, not past their
   * deadline, and {@code eligible} (the store's say: written now, not waiting for others). Ids must
   * increase with the index, so the index breaks ties as the id does in a claim.
   */
  public static List<Integer> choose(
      List<NewTask> tasks, ClaimRequest start, IntPredicate eligible) {
    List<Integer> candidates = new ArrayList<>();
    for (int i = 0; i < tasks.size(); i++) {
      NewTask t = tasks.get(i);
      if (eligible.test(i)
          && t.queue().equals(start.queue())
          && !t.runAt().isAfter(start.now())
          && (t.deadline().isEmpty() || !t.deadline().get().isBefore(start.now()))) {
        candidates.add(i);
      }
    }
    candidates.sort(
        Comparator.<Integer>comparingInt(i -> -tasks.get(i).priority())
            .thenComparing(i -> tasks.get(i).runAt())
            .thenComparingInt(i -> i));
    return candidates.subList(0, Math.min(start.max(), candidates.size()));
  }

  /** The task written as {@code id} and leased under {@code token}, as a claim would return it. */
  public static ClaimedTask started(long id, NewTask task, ClaimRequest start, long token) {
    return new ClaimedTask(
        id,
        task.type(),
        task.queue(),
        task.payloadJson(),
        task.priority(),
        1,
        task.maxAttempts(),
        token,
        start.leaseUntil(),
        millis(task.createdAt()),
        millis(task.runAt()),
        task.deadline().map(StartOnSubmit::millis),
        Duration.ofMillis(task.timeout().toMillis()));
  }

  /** Stores keep times in milliseconds. */
  private static Instant millis(Instant t) {
    return Instant.ofEpochMilli(t.toEpochMilli());
  }
}
