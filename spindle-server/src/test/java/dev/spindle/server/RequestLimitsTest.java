package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each limit refuses with its status and names the limit; nothing is written. */
class RequestLimitsTest {
  static final ServerLimits SMALL =
      ServerLimits.defaults()
          .withMaxTaskBytes(2048)
          .withMaxBatchBytes(8192)
          .withMaxBatchTasks(5)
          .withMaxJsonDepth(8)
          .withMaxStringLength(100);

  @TempDir Path dir;
  SpindleServer server;
  Api api;

  @BeforeEach
  void start() {
    server = TestServers.start(dir, SMALL, b -> {});
    api = new Api(server.port());
  }

  /** Tasks a test meant to write; every other request must write nothing. */
  int accepted;

  @AfterEach
  void onlyAcceptedRequestsWrote() {
    try {
      assertThat(api.get("/v1/tasks").json().get("items")).as("tasks written").hasSize(accepted);
    } finally {
      server.close();
    }
  }

  /** A delayed noop task padded with whitespace to exactly {@code bytes} bytes. */
  static String taskOfSize(int bytes) {
    String task = "{\"type\":\"noop\",\"delay\":\"PT1H\"}";
    return task + " ".repeat(bytes - task.length());
  }

  private static void assertProblem(Api.Reply r, int status, String kind, String... phrases) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.contentType()).isEqualTo("application/problem+json");
    assertThat(r.json().get("type").asText()).isEqualTo("urn:spindle:problem:" + kind);
    assertThat(r.detail()).contains(phrases);
  }

  @Test
  void taskBodyOverTheTaskLimitIsTooLarge() {
    Api.Reply r = api.post("/v1/tasks", taskOfSize(3000));

    assertProblem(r, 413, "body-too-large", "3000 bytes", "2048 bytes", "maxTaskBytes");
    assertThat(r.json().get("limit").asLong()).isEqualTo(2048);
    // The body was drained: the same client goes on working.
    assertThat(api.get("/health").status()).isEqualTo(200);
  }

  @Test
  void chunkedTaskBodyOverTheLimitIsTooLargeWhileBeingRead() {
    byte[] body = taskOfSize(3000).getBytes(StandardCharsets.UTF_8);
    Api.Reply r =
        api.send(
            api.request("/v1/tasks")
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build());

    assertProblem(r, 413, "body-too-large", "longer than the 2048 bytes", "maxTaskBytes");
  }

  @Test
  void taskBodyAtTheLimitIsAccepted() {
    Api.Reply r = api.post("/v1/tasks", taskOfSize(2048));

    assertThat(r.status()).as(r.body()).isEqualTo(201);
    accepted = 1;
  }

  @Test
  void batchBodyOverTheBatchLimitIsRefusedBeforeItIsSent() {
    String body = "{\"tasks\":[" + taskOfSize(9000) + "]}";
    Api.Reply r =
        api.send(
            api.request("/v1/tasks/batch")
                .expectContinue(true)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());

    assertProblem(r, 413, "body-too-large", "8192 bytes");
  }

  @Test
  void chunkedBatchBodyOverTheBatchLimitIsTooLarge() {
    byte[] body = ("{\"tasks\":[" + " ".repeat(9000) + "]}").getBytes(StandardCharsets.UTF_8);
    Api.Reply r =
        api.send(
            api.request("/v1/tasks/batch")
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build());

    assertProblem(r, 413, "body-too-large", "8192 bytes", "maxBatchBytes");
  }

  @Test
  void batchOverTheTaskLimitButUnderTheBatchLimitIsAccepted() {
    String task = taskOfSize(1500);
    Api.Reply r = api.post("/v1/tasks/batch", "{\"tasks\":[" + task + "," + task + "]}");

    assertThat(r.status()).as(r.body()).isEqualTo(201);
    accepted = 2;
  }

  @Test
  void tooManyTasksInOneBatch() {
    String six = ("{\"type\":\"noop\"},").repeat(6);
    Api.Reply r =
        api.post("/v1/tasks/batch", "{\"tasks\":[" + six.substring(0, six.length() - 1) + "]}");

    assertProblem(r, 413, "too-many-tasks", "6 tasks", "at most 5", "maxBatchTasks");
  }

  @Test
  void emptyOrMissingTaskListIsRefused() {
    assertProblem(api.post("/v1/tasks/batch", "{\"tasks\":[]}"), 400, "invalid-field", "empty");
    assertProblem(api.post("/v1/tasks/batch", "{}"), 400, "invalid-field", "tasks is required");
    assertProblem(
        api.post("/v1/tasks/batch", "{\"tasks\":{\"type\":\"noop\"}}"),
        400,
        "invalid-field",
        "an array of task objects, was an object");
    assertProblem(
        api.post("/v1/tasks/batch", "{\"tasks\":[],\"more\":1}"),
        400,
        "unknown-field",
        "more is not a known field",
        "[tasks]");
    assertProblem(
        api.post("/v1/tasks/batch", "{\"tasks\":[7]}"),
        400,
        "invalid-field",
        "tasks[0] must be a task object");
  }

  @Test
  void deepNestingIsRefused() {
    String deep = "[".repeat(8) + "]".repeat(8); // the task object and 8 arrays: 9 levels
    Api.Reply r = api.post("/v1/tasks", "{\"type\":\"noop\",\"payload\":" + deep + "}");

    assertProblem(r, 400, "json-too-deep", "more than 8 levels", "maxJsonDepth");
    assertThat(r.json().get("limit").asInt()).isEqualTo(8);
  }

  @Test
  void nestingAtTheLimitIsAccepted() {
    String deep = "[".repeat(7) + "]".repeat(7); // the task object and 7 arrays: 8 levels
    Api.Reply r =
        api.post("/v1/tasks", "{\"type\":\"noop\",\"delay\":\"PT1H\",\"payload\":" + deep + "}");

    assertThat(r.status()).as(r.body()).isEqualTo(201);
    accepted = 1;
  }

  @Test
  void longStringIsRefused() {
    Api.Reply r =
        api.post("/v1/tasks", "{\"type\":\"noop\",\"payload\":\"" + "x".repeat(150) + "\"}");

    assertProblem(r, 400, "string-too-long", "longer than 100 characters", "maxStringLength");
  }

  @Test
  void limitsAreValidatedWithClearMessages() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ServerLimits.defaults().withMaxTaskBytes(0))
        .hasMessage("maxTaskBytes must be between 1 and 1073741824 bytes (1 GiB), was 0");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ServerLimits.defaults().withMaxBatchTasks(-1))
        .hasMessage("maxBatchTasks must be at least 1, was -1");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ServerLimits.defaults().withMaxJsonDepth(2))
        .hasMessageContaining("maxJsonDepth must be at least 3");
    assertThat(ServerLimits.defaults())
        .isEqualTo(new ServerLimits(1 << 20, 16 << 20, 10_000, 64, 1_000_000));
  }
}
