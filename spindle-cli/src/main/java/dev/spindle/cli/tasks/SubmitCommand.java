package dev.spindle.cli.tasks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spindle.cli.CliFailure;
import dev.spindle.cli.DurationConverter;
import dev.spindle.cli.InstantConverter;
import dev.spindle.cli.SpindleCli;
import dev.spindle.cli.client.SpindleClient;
import dev.spindle.core.task.TaskState;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code spindle submit TYPE [PAYLOAD]}: POST /v1/tasks, optionally waiting for the outcome. */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = {
      "Submit one task and print its id. With --wait, wait until it is final and print its"
          + " result as JSON instead; exit 1 if it ended DEAD, CANCELLED or EXPIRED.",
      "",
      "Built-in types: noop; sleep {\"millis\": N}; http {\"url\": U, \"method\", \"headers\","
          + " \"body\", \"timeoutMillis\"}; wordcount {\"dir\": D, \"db\": F}."
    },
    footer = {
      "",
      "Examples:",
      "  spindle submit noop",
      "  spindle submit sleep '{\"millis\":500}' --priority 10 --wait",
      "  spindle submit sleep --file sleep.json --delay 5m --idempotency-key nightly-1",
      "  echo '{\"millis\":100}' | spindle submit sleep -"
    })
public final class SubmitCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Parameters(index = "0", paramLabel = "TYPE", description = "the task type")
  String type;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "PAYLOAD",
      description = "the payload as JSON; - reads it from standard input (default: no payload)")
  String payload;

  @Option(names = "--file", paramLabel = "FILE", description = "read the JSON payload from FILE")
  Path file;

  @Option(
      names = "--queue",
      paramLabel = "NAME",
      description = "the queue (default: the type's queue)")
  String queue;

  @Option(
      names = "--priority",
      paramLabel = "N",
      description = "-1000 to 1000, higher runs first (default 0)")
  Integer priority;

  @ArgGroup(exclusive = true)
  When when;

  /** A task starts after a delay or at a time, not both. */
  static final class When {
    @Option(
        names = "--delay",
        paramLabel = "DURATION",
        converter = DurationConverter.class,
        description = "run no earlier than this long from now, " + DurationConverter.FORMATS)
    Duration delay;

    @Option(
        names = "--run-at",
        paramLabel = "INSTANT",
        converter = InstantConverter.class,
        description = "run no earlier than this instant, " + InstantConverter.FORMATS)
    Instant runAt;
  }

  @Option(
      names = "--deadline",
      paramLabel = "INSTANT",
      converter = InstantConverter.class,
      description =
          "if not started by then, the task becomes EXPIRED and never runs; "
              + InstantConverter.FORMATS)
  Instant deadline;

  @Option(
      names = "--max-attempts",
      paramLabel = "N",
      description = "attempts before the task is DEAD, 1 to 1000 (default: the type's)")
  Integer maxAttempts;

  @Option(
      names = "--attempt-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "interrupt an attempt running longer than this and count it as failed")
  Duration attemptTimeout;

  @Option(
      names = "--idempotency-key",
      paramLabel = "KEY",
      description = "submitting the same task again under KEY returns the first task's id")
  String idempotencyKey;

  @Option(
      names = "--depends-on",
      paramLabel = "ID",
      split = ",",
      description =
          "wait (state WAITING) until these tasks are final; repeat or separate by commas")
  List<Long> dependsOn;

  @Option(
      names = "--wait",
      description = "wait until the task is final, then print its result JSON")
  boolean waitForResult;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "10m",
      description = "with --wait: give up (exit 1) after this long (default ${DEFAULT-VALUE})")
  Duration timeout;

  @Mixin ServerUrl server;

  @ParentCommand SpindleCli root;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    ObjectNode task = JSON.createObjectNode();
    task.put("type", type);
    JsonNode body = readPayload();
    if (body != null) {
      task.set("payload", body);
    }
    putIfSet(task, "queue", queue);
    if (priority != null) {
      task.put("priority", priority);
    }
    if (when != null) {
      putIfSet(task, "delay", when.delay);
      putIfSet(task, "runAt", when.runAt);
    }
    putIfSet(task, "deadline", deadline);
    if (maxAttempts != null) {
      task.put("maxAttempts", maxAttempts);
    }
    putIfSet(task, "timeout", attemptTimeout);
    putIfSet(task, "idempotencyKey", idempotencyKey);
    if (dependsOn != null) {
      dependsOn.forEach(task.putArray("dependsOn")::add);
    }

    SpindleClient client = server.client();
    long id = client.submit(task).path("id").asLong();
    PrintWriter out = spec.commandLine().getOut();
    if (!waitForResult) {
      out.println(id);
      return ExitCode.OK;
    }
    spec.commandLine().getErr().printf("task %d submitted, waiting for it to finish…%n", id);
    JsonNode done = awaitFinal(client, id);
    TaskState state = TaskState.valueOf(done.path("state").asText());
    if (state == TaskState.SUCCEEDED) {
      out.println(done.path("result").toString());
      return ExitCode.OK;
    }
    String error = done.path("lastError").asText("");
    throw CliFailure.failed(
        "task %d ended %s after %d attempt(s)%s"
            .formatted(
                id,
                state,
                done.path("attempts").asInt(),
                error.isEmpty() ? "" : ": " + error.lines().findFirst().orElse("")));
  }

  private JsonNode awaitFinal(SpindleClient client, long id) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    long pause = 20;
    while (true) {
      JsonNode t = client.task(id);
      String state = t.path("state").asText();
      if (TaskState.valueOf(state).isFinal()) {
        return t;
      }
      if (System.nanoTime() - end >= 0) {
        throw CliFailure.failed(
            "task %d is still %s after %s; see `spindle status %d`"
                .formatted(id, state, DurationConverter.format(timeout), id));
      }
      Thread.sleep(pause);
      pause = Math.min(500, pause * 3 / 2); // prompt for quick tasks, light on slow ones
    }
  }

  /** The payload from PAYLOAD, stdin (PAYLOAD is -) or --file; null when none was given. */
  private JsonNode readPayload() {
    if (payload != null && file != null) {
      throw usage("give the payload either as PAYLOAD or with --file, not both");
    }
    String text;
    String source;
    if (file != null) {
      source = "--file " + file;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw usage("cannot read --file " + file + ": " + e);
      }
    } else if ("-".equals(payload)) {
      source = "standard input";
      try (InputStream in = root.stdin()) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw usage("cannot read the payload from standard input: " + e);
      }
    } else if (payload != null) {
      source = "PAYLOAD";
      text = payload;
    } else {
      return null;
    }
    try {
      JsonNode node = JSON.readTree(text);
      if (node == null || node.isMissingNode()) {
        throw usage("the payload from " + source + " is empty; give JSON such as {} or null");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw usage(
          "the payload from %s is not valid JSON: %s".formatted(source, e.getOriginalMessage()));
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  private static void putIfSet(ObjectNode node, String field, Object value) {
    if (value != null) {
      node.put(field, value.toString());
    }
  }
}
