package dev.spindle.core.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spindle.core.SpindleListener;
import dev.spindle.core.SpindleListener.AttemptResult;
import dev.spindle.core.TaskCancelledException;
import dev.spindle.core.TaskTypeOptions;
import dev.spindle.core.store.ClaimedTask;
import dev.spindle.core.store.Outcome;
import dev.spindle.core.task.TaskLimits;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs claimed tasks, one virtual thread each, and turns what the handler did into an {@link
 * Outcome}: the retry policy is applied here, never in a store.
 */
final class AttemptRunner {
  private final HandlerRegistry registry;
  private final ObjectMapper json;
  private final Clock clock;
  private final ActiveAttempts active;
  private final Completer completer;
  private final SpindleListener listener;
  private final String workerId;
  private final Submitter submitter;
  private final AttemptStopper stopper;

  AttemptRunner(
      HandlerRegistry registry,
      ObjectMapper json,
      Clock clock,
      ActiveAttempts active,
      Completer completer,
      SpindleListener listener,
      String workerId,
      Submitter submitter,
      AttemptStopper stopper) {
    this.submitter = submitter;
    this.stopper = stopper;
    this.registry = registry;
    this.json = json;
    this.clock = clock;
    this.active = active;
    this.completer = completer;
    this.listener = listener;
    this.workerId = workerId;
  }

  /** Starts the attempt; {@code done} runs on its thread once its outcome is handed over. */
  void start(ClaimedTask task, Runnable done) {
    Instant now = clock.instant();
    Duration timeout = timeoutOf(task);
    Attempt attempt =
        new Attempt(task, now, timeout.isZero() ? null : now.plus(timeout), json, submitter);
    active.add(attempt).ifPresent(stopper::leaseLost);
    Thread t =
        Thread.ofVirtual()
            .name("spindle-task-", task.id())
            .unstarted(
                () -> {
                  try {
                    run(attempt);
                  } finally {
                    done.run();
                  }
                });
    attempt.bind(t);
    Duration waited = Duration.between(task.runAt(), now);
    listener.attemptStarted(task.queue(), task.type(), task.id(), waited);
    t.start();
  }

  private Duration timeoutOf(ClaimedTask task) {
    if (!task.timeout().isZero()) {
      return task.timeout();
    }
    return registry.optionsFor(task.type()).timeout();
  }

  private void run(Attempt attempt) {
    ClaimedTask task = attempt.task;
    Optional<RegisteredType<?>> registered = registry.find(task.type());
    if (registered.isEmpty()) {
      finish(
          attempt,
          dead(
              attempt,
              "no handler for task type '"
                  + task.type()
                  + "' on worker "
                  + workerId
                  + "; it handles "
                  + registry.typeNames()
                  + ". Every worker serving queue '"
                  + task.queue()
                  + "' must register the types submitted to it"));
      return;
    }
    Object result;
    try {
      result = invoke(registered.get(), attempt, json);
    } catch (Throwable failure) {
      finish(attempt, failed(attempt, registered.get().options(), failure));
      return;
    }
    finish(attempt, succeeded(attempt, result));
  }

  private static <P> Object invoke(RegisteredType<P> type, Attempt attempt, ObjectMapper json)
      throws Exception {
    P payload;
    try {
      payload = json.readValue(attempt.payloadJson(), type.payloadType());
    } catch (JsonProcessingException e) {
      throw new PayloadDecodingException(
          "payload of task "
              + attempt.taskId()
              + " cannot be read as "
              + type.payloadType().getName()
              + ": "
              + e.getOriginalMessage(),
          e);
    }
    return type.handler().handle(payload, attempt);
  }

  private Pending succeeded(Attempt attempt, Object result) {
    Optional<StopReason> stop = attempt.stopReason();
    if (stop.isPresent() && stop.get() != StopReason.CANCELLED) {
      // A timed-out, fenced or released attempt that returned anyway does not count as success:
      // another worker may already run the task, or the timeout already decided the attempt.
      return failed(attempt, TaskTypeOptions.DEFAULTS, new InterruptedException(stop.get().name()));
    }
    String resultJson;
    try {
      resultJson = json.writeValueAsString(result);
    } catch (JsonProcessingException e) {
      return dead(
          attempt,
          "the handler's result ("
              + result.getClass().getName()
              + ") cannot be written as JSON: "
              + e.getOriginalMessage());
    }
    return new Pending(
        new Outcome.Succeeded(attempt.taskId(), attempt.leaseToken(), resultJson, clock.instant()),
        AttemptResult.SUCCEEDED);
  }

  private Pending failed(Attempt attempt, TaskTypeOptions options, Throwable failure) {
    ClaimedTask task = attempt.task;
    Instant now = clock.instant();
    Optional<StopReason> stop = attempt.stopReason();
    if (stop.isPresent()) {
      switch (stop.get()) {
        case LEASE_LOST:
          return null;
        case SHUTDOWN:
          return new Pending(
              new Outcome.Released(task.id(), task.leaseToken(), now), AttemptResult.RELEASED);
        case CANCELLED:
          return new Pending(
              new Outcome.Cancelled(task.id(), task.leaseToken(), now), AttemptResult.CANCELLED);
        case TIMED_OUT:
          failure =
              new AttemptTimeoutException(
                  "attempt "
                      + task.attempt()
                      + " timed out after "
                      + Duration.between(attempt.startedAt, attempt.timeoutAt));
          break;
      }
    }
    if (failure instanceof TaskCancelledException) {
      // Thrown without a stop request: the handler cancelled itself; treat it as a failure.
      failure = new IllegalStateException(failure.getMessage(), failure);
    }
    String error = describe(failure);
    boolean permanent =
        options.isNonRetryable(failure) || failure instanceof PayloadDecodingException;
    if (permanent || task.attempt() >= task.maxAttempts()) {
      String why = permanent ? "not retryable: " : "attempts used up: ";
      return dead(attempt, why + error);
    }
    Duration backoff = options.retry().delayAfter(task.attempt(), ThreadLocalRandom.current());
    return new Pending(
        new Outcome.Retry(task.id(), task.leaseToken(), error, now.plus(backoff), now),
        AttemptResult.RETRY);
  }

  private Pending dead(Attempt attempt, String error) {
    return new Pending(
        new Outcome.Dead(attempt.taskId(), attempt.leaseToken(), clip(error), clock.instant()),
        AttemptResult.DEAD);
  }

  private void finish(Attempt attempt, Pending pending) {
    if (!attempt.settle()) {
      return; // the engine already settled it (forced release at shutdown)
    }
    if (pending == null) {
      active.remove(attempt);
      listener.leaseLost(attempt.taskId());
      return;
    }
    completer.submit(attempt, pending.outcome(), pending.result());
  }

  /** The exception's class, message and the top of its stack: enough to act on, bounded. */
  static String describe(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return clip(out.toString());
  }

  private static String clip(String s) {
    return s.length() <= TaskLimits.MAX_ERROR_LENGTH
        ? s
        : s.substring(0, TaskLimits.MAX_ERROR_LENGTH - 1) + "…";
  }

  private record Pending(Outcome outcome, AttemptResult result) {}

  /** The stored payload does not fit the handler's payload type; retrying cannot help. */
  static final class PayloadDecodingException extends RuntimeException {
    PayloadDecodingException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The attempt ran past its timeout and was interrupted. */
  static final class AttemptTimeoutException extends RuntimeException {
    AttemptTimeoutException(String message) {
      super(message);
    }
  }
}
