package dev.spindle.bench;

import dev.spindle.core.SpindleListener;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts attempts whose outcome the store has committed: the engine reports an attempt finished
 * only after that. How every benchmark decides that a task is done.
 */
public final class FinishedAttempts implements SpindleListener {
  private final LongAdder count = new LongAdder();
  private final Runnable each;

  public FinishedAttempts() {
    this(() -> {});
  }

  /** Also runs {@code each} for every finished attempt. */
  public FinishedAttempts(Runnable each) {
    this.each = each;
  }

  @Override
  public void attemptFinished(
      String queue, String type, long taskId, AttemptResult result, Duration ran) {
    count.increment();
    each.run();
  }

  public long count() {
    return count.sum();
  }
}
