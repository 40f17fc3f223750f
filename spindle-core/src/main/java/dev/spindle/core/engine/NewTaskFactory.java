package dev.spindle.core.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.spindle.core.InvalidTaskException;
import dev.spindle.core.TaskRequest;
import dev.spindle.core.TaskTypeOptions;
import dev.spindle.core.task.NewTask;
import dev.spindle.core.task.TaskLimits;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Turns a producer's {@link TaskRequest} into a {@link NewTask}, or refuses it with an {@link
 * InvalidTaskException} that names the field and what is allowed. Nothing is written for a refused
 * request.
 */
public final class NewTaskFactory {
  private static final Duration MAX_TIMEOUT = Duration.ofDays(1);
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  private final ObjectMapper json;
  private final ObjectReader strictReader;
  private final HandlerRegistry registry;
  private final Clock clock;

  public NewTaskFactory(ObjectMapper json, HandlerRegistry registry, Clock clock) {
    this.json = json;
    this.strictReader = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    this.registry = registry;
    this.clock = clock;
  }

  public NewTask create(TaskRequest request) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    String type = name("type", request.type());
    TaskTypeOptions options = registry.optionsFor(type);
    String queue = name("queue", request.queue().orElse(options.queue()));
    int priority = request.priority().orElse(0);
    if (priority < TaskLimits.MIN_PRIORITY || priority > TaskLimits.MAX_PRIORITY) {
      throw new InvalidTaskException(
          "priority",
          "must be between "
              + TaskLimits.MIN_PRIORITY
              + " and "
              + TaskLimits.MAX_PRIORITY
              + ", was "
              + priority);
    }
    int maxAttempts = request.maxAttempts().orElse(options.retry().maxAttempts());
    if (maxAttempts < 1 || maxAttempts > TaskLimits.MAX_ATTEMPTS) {
      throw new InvalidTaskException(
          "maxAttempts",
          "must be between 1 and " + TaskLimits.MAX_ATTEMPTS + ", was " + maxAttempts);
    }
    Instant runAt = runAt(request, now);
    Optional<Instant> deadline = request.deadline().map(d -> deadline(d, runAt, now));
    Duration timeout = request.timeout().orElse(Duration.ZERO);
    if (timeout.isNegative() || timeout.compareTo(MAX_TIMEOUT) > 0) {
      throw new InvalidTaskException(
          "timeout", "must be between 0 (the type's default) and 24 hours, was " + timeout);
    }
    Optional<String> key = request.idempotencyKey().map(NewTaskFactory::idempotencyKey);
    String payload = payloadJson(request);
    List<Long> dependsOn = dependsOn(request.dependsOn());
    String fingerprint =
        key.isPresent() ? fingerprint(type, queue, priority, payload, dependsOn) : "";
    return new NewTask(
        type,
        queue,
        payload,
        priority,
        runAt,
        deadline,
        maxAttempts,
        timeout,
        key,
        fingerprint,
        now,
        dependsOn);
  }

  /** Distinct ids in the order given; null, zero or negative ids are refused. */
  private static List<Long> dependsOn(List<Long> ids) {
    if (ids == null) {
      throw new InvalidTaskException("dependsOn", "must be a list of task ids, was null");
    }
    if (ids.size() > TaskLimits.MAX_DEPENDENCIES) {
      throw new InvalidTaskException(
          "dependsOn",
          "lists "
              + ids.size()
              + " tasks; at most "
              + TaskLimits.MAX_DEPENDENCIES
              + " are allowed");
    }
    LinkedHashSet<Long> distinct = new LinkedHashSet<>();
    for (int i = 0; i < ids.size(); i++) {
      Long id = ids.get(i);
      if (id == null || id < 1) {
        throw new InvalidTaskException(
            "dependsOn", "[" + i + "] must be a task id (a positive number), was " + id);
      }
      distinct.add(id);
    }
    return List.copyOf(distinct);
  }

  private static String name(String field, String value) {
    if (value == null || value.isEmpty()) {
      throw new InvalidTaskException(field, "is required");
    }
    if (!TaskLimits.isName(value)) {
      throw new InvalidTaskException(
          field,
          "'"
              + abbreviate(value)
              + "' is not allowed: use 1 to "
              + TaskLimits.MAX_NAME_LENGTH
              + " letters, digits or . _ : -");
    }
    return value;
  }

  private static Instant runAt(TaskRequest request, Instant now) {
    if (request.delay().isPresent()) {
      Duration delay = request.delay().get();
      if (delay.isNegative()) {
        throw new InvalidTaskException("delay", "must not be negative, was " + delay);
      }
      if (delay.compareTo(Duration.between(now, LATEST)) > 0) {
        throw new InvalidTaskException("delay", "is too long, was " + delay);
      }
      return now.plus(delay).truncatedTo(ChronoUnit.MILLIS);
    }
    Instant at = request.runAt().orElse(now);
    checkRange("runAt", at);
    Instant truncated = at.truncatedTo(ChronoUnit.MILLIS);
    return truncated.isBefore(now) ? now : truncated;
  }

  private static Instant deadline(Instant deadline, Instant runAt, Instant now) {
    checkRange("deadline", deadline);
    Instant d = deadline.truncatedTo(ChronoUnit.MILLIS);
    if (!d.isAfter(now)) {
      throw new InvalidTaskException(
          "deadline", "is already past (" + d + "); a deadline must be after now (" + now + ")");
    }
    if (!d.isAfter(runAt)) {
      throw new InvalidTaskException(
          "deadline",
          "(" + d + ") must be after runAt (" + runAt + "), or the task could never start");
    }
    return d;
  }

  private static void checkRange(String field, Instant at) {
    if (at.isBefore(Instant.EPOCH) || at.isAfter(LATEST)) {
      throw new InvalidTaskException(field, "must be between 1970-01-01 and 9999-12-31, was " + at);
    }
  }

  private static String idempotencyKey(String key) {
    if (key.isEmpty() || key.length() > TaskLimits.MAX_IDEMPOTENCY_KEY_LENGTH) {
      throw new InvalidTaskException(
          "idempotencyKey",
          "must be 1 to "
              + TaskLimits.MAX_IDEMPOTENCY_KEY_LENGTH
              + " characters, was "
              + key.length());
    }
    for (int i = 0; i < key.length(); i++) {
      if (Character.isISOControl(key.charAt(i))) {
        throw new InvalidTaskException(
            "idempotencyKey", "must not contain control characters (found one at index " + i + ")");
      }
    }
    return key;
  }

  private String payloadJson(TaskRequest request) {
    if (request.payloadJson().isPresent()) {
      // Parsed and written again so that the stored payload, and the fingerprint an idempotency
      // key is checked against, do not depend on the client's whitespace.
      try {
        JsonNode node = strictReader.readTree(request.payloadJson().get());
        if (node == null || node.isMissingNode()) {
          throw new InvalidTaskException("payload", "must be one JSON value, was empty");
        }
        return json.writeValueAsString(node);
      } catch (JsonProcessingException e) {
        throw new InvalidTaskException(
            "payload", "is not valid JSON: " + e.getOriginalMessage(), e);
      }
    }
    try {
      return json.writeValueAsString(request.payload());
    } catch (JsonProcessingException e) {
      throw new InvalidTaskException(
          "payload",
          "a "
              + request.payload().getClass().getName()
              + " cannot be written as JSON: "
              + e.getOriginalMessage(),
          e);
    }
  }

  private static String fingerprint(
      String type, String queue, int priority, String payload, List<Long> dependsOn) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((type + '\n' + queue + '\n' + priority + '\n').getBytes(StandardCharsets.UTF_8));
      sha.update(payload.getBytes(StandardCharsets.UTF_8));
      if (!dependsOn.isEmpty()) {
        sha.update(("\n" + dependsOn.stream().sorted().toList()).getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }
}
