package dev.spindle.server.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spindle.core.InvalidTaskException;
import dev.spindle.core.NonRetryableException;
import dev.spindle.core.TaskContext;
import dev.spindle.core.TaskHandler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code sleep} task: waits {@code millis} and succeeds, or stops early when cancelled. For
 * demos, load tests and tests that need a task to stay busy.
 */
public final class SleepTask implements TaskHandler<SleepTask.Payload> {
  public static final String TYPE = "sleep";

  /** A day: long enough for any demo, short enough to catch a seconds/millis mix-up. */
  public static final long MAX_MILLIS = TimeUnit.DAYS.toMillis(1);

  /** How often a sleeping task looks at its cancel flag (a cancel does not interrupt). */
  private static final long CANCEL_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  public record Payload(long millis) {}

  @Override
  public Object handle(Payload payload, TaskContext context) throws InterruptedException {
    long millis = payload == null ? 0 : payload.millis();
    if (millis < 0 || millis > MAX_MILLIS) {
      throw new NonRetryableException(
          "millis must be between 0 and " + MAX_MILLIS + ", was " + millis);
    }
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
      context.throwIfCancelled();
      TimeUnit.NANOSECONDS.sleep(Math.min(left, CANCEL_CHECK_NANOS));
    }
    return Map.of("sleptMillis", millis);
  }

  /** Submit-time check: {@code {"millis": n}} with n from 0 to a day. */
  public static void check(JsonNode payload) {
    PayloadFields.requireObject(payload, "{\"millis\": 250}", List.of("millis"));
    if (PayloadFields.wholeNumber(payload, "millis", 0, MAX_MILLIS) == null) {
      throw new InvalidTaskException("payload.millis", "is required: how long to sleep, in ms");
    }
  }
}
