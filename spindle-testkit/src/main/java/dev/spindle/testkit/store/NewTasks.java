package dev.spindle.testkit.store;

import dev.spindle.core.task.NewTask;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds {@link NewTask}s for store tests with sensible defaults: due now, priority 0, three
 * attempts, no deadline, no idempotency key, and a fingerprint derived from type, queue and payload
 * (so the same body always has the same fingerprint).
 */
public final class NewTasks {
  private NewTasks() {}

  public static Builder task(String queue, Instant now) {
    return new Builder(queue, now);
  }

  /** A mutable builder; each {@link #build()} makes a new task. */
  public static final class Builder {
    private String type = "test.task";
    private String queue;
    private String payloadJson = "{}";
    private int priority;
    private Instant runAt;
    private Optional<Instant> deadline = Optional.empty();
    private int maxAttempts = 3;
    private Duration timeout = Duration.ZERO;
    private Optional<String> idempotencyKey = Optional.empty();
    private String fingerprint;
    private Instant createdAt;
    private List<Long> dependsOn = List.of();

    private Builder(String queue, Instant now) {
      this.queue = Objects.requireNonNull(queue);
      this.runAt = now;
      this.createdAt = now;
    }

    public Builder type(String type) {
      this.type = type;
      return this;
    }

    public Builder queue(String queue) {
      this.queue = queue;
      return this;
    }

    public Builder payload(String payloadJson) {
      this.payloadJson = payloadJson;
      return this;
    }

    public Builder priority(int priority) {
      this.priority = priority;
      return this;
    }

    public Builder runAt(Instant runAt) {
      this.runAt = runAt;
      return this;
    }

    public Builder deadline(Instant deadline) {
      this.deadline = Optional.of(deadline);
      return this;
    }

    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public Builder idempotencyKey(String key) {
      this.idempotencyKey = Optional.of(key);
      return this;
    }

    /** Overrides the derived fingerprint. */
    public Builder fingerprint(String fingerprint) {
      this.fingerprint = fingerprint;
      return this;
    }

    public Builder createdAt(Instant createdAt) {
      this.createdAt = createdAt;
      return this;
    }

    public Builder dependsOn(List<Long> parents) {
      this.dependsOn = parents;
      return this;
    }

    public NewTask build() {
      String fp = fingerprint != null ? fingerprint : type + "|" + queue + "|" + payloadJson;
      return new NewTask(
          type,
          queue,
          payloadJson,
          priority,
          runAt,
          deadline,
          maxAttempts,
          timeout,
          idempotencyKey,
          fp,
          createdAt,
          dependsOn);
    }
  }
}
