package dev.spindle.core;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: the delay before attempt {@code n+1} is {@code initial *
 * multiplier^(n-1)}, capped at {@code max}, then spread by up to {@code jitter} (0 to 1) of itself
 * either way so that tasks that failed together do not retry together.
 */
public record RetryPolicy(
    int maxAttempts, Duration initial, double multiplier, Duration max, double jitter) {

  public static final RetryPolicy DEFAULT =
      new RetryPolicy(5, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(10), 0.2);

  public RetryPolicy {
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(max, "max");
    if (maxAttempts < 1 || maxAttempts > dev.spindle.core.task.TaskLimits.MAX_ATTEMPTS) {
      throw new IllegalArgumentException(
          "maxAttempts must be between 1 and "
              + dev.spindle.core.task.TaskLimits.MAX_ATTEMPTS
              + ", was "
              + maxAttempts);
    }
    if (initial.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "backoff needs 0 <= initial <= max, was initial=" + initial + " max=" + max);
    }
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("multiplier must be >= 1, was " + multiplier);
    }
    if (!(jitter >= 0.0 && jitter <= 1.0)) {
      throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
    }
  }

  public RetryPolicy withMaxAttempts(int n) {
    return new RetryPolicy(n, initial, multiplier, max, jitter);
  }

  public RetryPolicy withBackoff(Duration initialDelay, double factor, Duration maxDelay) {
    return new RetryPolicy(maxAttempts, initialDelay, factor, maxDelay, jitter);
  }

  public RetryPolicy withJitter(double j) {
    return new RetryPolicy(maxAttempts, initial, multiplier, max, j);
  }

  /** The delay after failed attempt {@code attempt} (1-based). */
  public Duration delayAfter(int attempt, RandomGenerator random) {
    double base = initial.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
    double capped = Math.min(base, max.toMillis());
    double spread = capped * jitter * (2 * random.nextDouble() - 1);
    return Duration.ofMillis(Math.max(0, Math.round(capped + spread)));
  }
}
