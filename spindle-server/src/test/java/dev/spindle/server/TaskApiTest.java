package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spindle.core.task.TaskInfo;
import dev.spindle.core.task.TaskState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskApiTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  SpindleServer server;
  Api api;

  @BeforeEach
  void start() {
    server = TestServers.start(dir);
    api = new Api(server.port());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void submittedTaskRunsAndItsResultIsJson() throws Exception {
    Api.Reply r = api.post("/v1/tasks", "{\"type\":\"sleep\",\"payload\":{\"millis\":1}}");

    assertThat(r.status()).isEqualTo(201);
    assertThat(r.contentType()).startsWith("application/json");
    long id = r.json().get("id").asLong();
    assertThat(r.headers().firstValue("Location")).hasValue("/v1/tasks/" + id);
    server.spindle().awaitFinal(id, WAIT);

    JsonNode task = api.get("/v1/tasks/" + id).json();
    assertThat(task.get("id").asLong()).isEqualTo(id);
    assertThat(task.get("type").asText()).isEqualTo("sleep");
    assertThat(task.get("queue").asText()).isEqualTo("default");
    assertThat(task.get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(task.get("attempts").asInt()).isEqualTo(1);
    assertThat(task.get("maxAttempts").asInt()).isPositive();
    assertThat(task.get("payload").get("millis").asInt()).isEqualTo(1);
    assertThat(task.get("result").isObject()).as("result is JSON, not a string").isTrue();
    assertThat(task.get("result").get("sleptMillis").asLong()).isEqualTo(1);
    assertThat(task.get("lastError").isNull()).isTrue();
    assertThat(task.get("createdAt").asText()).endsWith("Z");
    assertThat(task.get("startedAt").asText()).endsWith("Z");
    assertThat(task.get("finishedAt").asText()).endsWith("Z");
    assertThat(task.get("dependsOn").isArray()).isTrue();
  }

  @Test
  void submitTakesEveryOptionalField() {
    long id =
        api.submit(
            """
            {"type":"noop","queue":"other","payload":{"a":[1,2.50,"x",3.14159265358979323846264338]},"priority":7,
             "runAt":"2099-01-01T00:00:00+01:00","deadline":"2099-01-02T00:00:00Z",
             "maxAttempts":3,"timeout":"PT30S","idempotencyKey":"k-1"}
            """);

    Api.Reply reply = api.get("/v1/tasks/" + id);
    assertThat(reply.body())
        .as("payload numbers are stored as sent")
        .contains("\"payload\":{\"a\":[1,2.50,\"x\",3.14159265358979323846264338]}");
    JsonNode task = reply.json();
    assertThat(task.get("queue").asText()).isEqualTo("other");
    assertThat(task.get("state").asText()).isEqualTo("SCHEDULED");
    assertThat(task.get("priority").asInt()).isEqualTo(7);
    assertThat(task.get("maxAttempts").asInt()).isEqualTo(3);
    assertThat(task.get("runAt").asText()).isEqualTo("2098-12-31T23:00:00Z");
    assertThat(task.get("deadline").asText()).isEqualTo("2099-01-02T00:00:00Z");
    assertThat(task.get("idempotencyKey").asText()).isEqualTo("k-1");
  }

  @Test
  void delayedTaskIsScheduled() {
    long id = api.submit("{\"type\":\"noop\",\"delay\":\"PT1H\"}");

    assertThat(api.get("/v1/tasks/" + id).json().get("state").asText()).isEqualTo("SCHEDULED");
  }

  @Test
  void repeatedIdempotencyKeyWithSameBodyReturnsSameIdAndDifferentBodyConflicts() {
    String body = "{\"type\":\"noop\",\"payload\":{\"n\":1},\"idempotencyKey\":\"order-42\"}";
    long first = api.submit(body);

    Api.Reply again = api.post("/v1/tasks", body);
    assertThat(again.status()).isEqualTo(201);
    assertThat(again.json().get("id").asLong()).isEqualTo(first);

    Api.Reply other =
        api.post(
            "/v1/tasks",
            "{\"type\":\"noop\",\"payload\":{\"n\":2},\"idempotencyKey\":\"order-42\"}");
    assertThat(other.status()).isEqualTo(409);
    assertThat(other.contentType()).startsWith("application/problem+json");
    assertThat(other.json().get("existingTaskId").asLong()).isEqualTo(first);
    assertThat(other.detail()).contains("order-42").contains("different body");
  }

  @Test
  void unknownTaskIsNotFound() {
    Api.Reply r = api.get("/v1/tasks/987654");

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.json().get("status").asInt()).isEqualTo(404);
    assertThat(r.detail()).isEqualTo("no task with id 987654");
    assertThat(r.json().get("instance").asText()).isEqualTo("/v1/tasks/987654");
  }

  @Test
  void nonNumericTaskIdIsBadRequest() {
    Api.Reply r = api.get("/v1/tasks/abc");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.detail()).contains("'abc'").contains("positive whole numbers");
  }

  @Test
  void dependentTaskWaitsForItsParentAndShowsIt() throws Exception {
    long parent = api.submit("{\"type\":\"sleep\",\"payload\":{\"millis\":5}}");
    long child = api.submit("{\"type\":\"noop\",\"dependsOn\":[" + parent + "]}");

    server.spindle().awaitFinal(child, WAIT);
    JsonNode task = api.get("/v1/tasks/" + child).json();
    assertThat(task.get("dependsOn").get(0).asLong()).isEqualTo(parent);
    assertThat(task.get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(api.get("/v1/tasks/" + parent).json().get("state").asText()).isEqualTo("SUCCEEDED");
  }

  @Test
  void dependencyOnUnknownTaskIsRefused() {
    Api.Reply r = api.post("/v1/tasks", "{\"type\":\"noop\",\"dependsOn\":[99999]}");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("field").asText()).isEqualTo("dependsOn");
    assertThat(r.detail()).contains("99999");
  }

  @Test
  void listFiltersByQueueStateAndType() throws Exception {
    long done = api.submit("{\"type\":\"noop\"}");
    server.spindle().awaitFinal(done, WAIT);
    long later = api.submit("{\"type\":\"noop\",\"delay\":\"PT1H\"}");
    long otherQueue =
        api.submit(
            "{\"type\":\"sleep\",\"queue\":\"other\",\"delay\":\"PT1H\",\"payload\":{\"millis\":1}}");

    assertThat(ids(api.get("/v1/tasks?state=SUCCEEDED").json())).containsExactly(done);
    assertThat(ids(api.get("/v1/tasks?state=scheduled").json())).containsExactly(otherQueue, later);
    assertThat(ids(api.get("/v1/tasks?queue=other").json())).containsExactly(otherQueue);
    assertThat(ids(api.get("/v1/tasks?type=noop").json())).containsExactly(later, done);
    assertThat(ids(api.get("/v1/tasks?type=noop&state=SCHEDULED").json())).containsExactly(later);
    JsonNode item = api.get("/v1/tasks?queue=other").json().get("items").get(0);
    assertThat(item.has("payload")).as("listings leave payloads out").isFalse();
    assertThat(item.get("state").asText()).isEqualTo("SCHEDULED");
  }

  @Test
  void cursorPagingVisitsEveryTaskOnceNewestFirst() {
    List<Long> submitted = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      submitted.add(api.submit("{\"type\":\"noop\",\"delay\":\"PT1H\"}"));
    }

    List<Long> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonNode page =
          api.get("/v1/tasks?limit=10" + (cursor == null ? "" : "&cursor=" + cursor)).json();
      seen.addAll(ids(page));
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
      pages++;
    } while (cursor != null && pages < 10);

    assertThat(pages).isEqualTo(3);
    assertThat(seen).hasSize(25).doesNotHaveDuplicates();
    assertThat(seen).containsExactlyElementsOf(submitted.reversed());
  }

  @Test
  void badListParametersNameWhatIsAllowed() {
    Api.Reply state = api.get("/v1/tasks?state=DONE");
    assertThat(state.status()).isEqualTo(400);
    assertThat(state.detail()).contains("'DONE'").contains("SUCCEEDED").contains("WAITING");
    assertThat(state.json().get("allowed").toString()).contains("\"READY\"");

    for (String limit : List.of("0", "1001", "-5", "ten")) {
      Api.Reply r = api.get("/v1/tasks?limit=" + limit);
      assertThat(r.status()).as(limit).isEqualTo(400);
      assertThat(r.detail()).contains("limit must be a whole number from 1 to 1000");
    }

    Api.Reply cursor = api.get("/v1/tasks?cursor=xyz");
    assertThat(cursor.status()).isEqualTo(400);
    assertThat(cursor.detail()).contains("nextCursor");

    Api.Reply unknown = api.get("/v1/tasks?status=READY");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.detail()).contains("'status'").contains("state");
  }

  @Test
  void cancelWaitingTaskThenCancelAgainConflicts() {
    long id = api.submit("{\"type\":\"noop\",\"delay\":\"PT1H\"}");

    Api.Reply r = api.post("/v1/tasks/" + id + "/cancel");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("outcome").asText()).isEqualTo("CANCELLED");
    assertThat(api.get("/v1/tasks/" + id).json().get("state").asText()).isEqualTo("CANCELLED");

    Api.Reply again = api.post("/v1/tasks/" + id + "/cancel");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.detail()).contains("CANCELLED").contains("only waiting or running");
  }

  @Test
  void cancelRunningTaskStopsIt() throws Exception {
    long id = api.submit("{\"type\":\"sleep\",\"payload\":{\"millis\":60000}}");
    awaitState(id, TaskState.RUNNING);

    Api.Reply r = api.post("/v1/tasks/" + id + "/cancel");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("outcome").asText()).isEqualTo("CANCEL_REQUESTED");
    assertThat(server.spindle().awaitFinal(id, WAIT).state()).isEqualTo(TaskState.CANCELLED);
  }

  @Test
  void retryDeadTaskRequeuesItAndRetryOfSucceededTaskConflicts() throws Exception {
    long dead = api.submit("{\"type\":\"fail\"}");
    assertThat(server.spindle().awaitFinal(dead, WAIT).state()).isEqualTo(TaskState.DEAD);
    assertThat(api.get("/v1/tasks/" + dead).json().get("lastError").asText())
        .contains("fails on purpose");

    Api.Reply r = api.post("/v1/tasks/" + dead + "/retry");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("outcome").asText()).isEqualTo("REQUEUED");
    TaskInfo again = server.spindle().awaitFinal(dead, WAIT);
    assertThat(again.state()).isEqualTo(TaskState.DEAD);

    long ok = api.submit("{\"type\":\"noop\"}");
    server.spindle().awaitFinal(ok, WAIT);
    Api.Reply refused = api.post("/v1/tasks/" + ok + "/retry");
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.detail())
        .contains("SUCCEEDED")
        .contains("only DEAD, CANCELLED and EXPIRED tasks can be retried");
  }

  @Test
  void cancelAndRetryOfUnknownTaskAreNotFound() {
    assertThat(api.post("/v1/tasks/424242/cancel").status()).isEqualTo(404);
    assertThat(api.post("/v1/tasks/424242/retry").status()).isEqualTo(404);
  }

  @Test
  void batchReturnsIdsInOrder() throws Exception {
    Api.Reply r =
        api.post(
            "/v1/tasks/batch",
            """
            {"tasks":[{"type":"noop","payload":1},{"type":"noop","payload":2},
                      {"type":"sleep","queue":"other","payload":{"millis":1}}]}
            """);

    assertThat(r.status()).isEqualTo(201);
    List<Long> ids = new ArrayList<>();
    r.json().get("ids").forEach(n -> ids.add(n.asLong()));
    assertThat(ids).hasSize(3).isSorted();
    for (int i = 0; i < 3; i++) {
      server.spindle().awaitFinal(ids.get(i), WAIT);
    }
    assertThat(api.get("/v1/tasks/" + ids.get(1)).json().get("payload").asInt()).isEqualTo(2);
    assertThat(api.get("/v1/tasks/" + ids.get(2)).json().get("queue").asText()).isEqualTo("other");
  }

  @Test
  void batchWithOneBadElementWritesNothing() {
    List<String> badThird =
        List.of(
            "{\"type\":\"nope\"}",
            "{\"type\":\"noop\",\"priority\":5000}",
            "{\"type\":\"noop\",\"queue\":\"missing\"}",
            "{\"type\":\"noop\",\"runAt\":\"soon\"}",
            "{\"type\":\"noop\",\"extra\":1}",
            "{\"type\":\"sleep\",\"payload\":{\"millis\":-1}}");
    for (String bad : badThird) {
      Api.Reply r =
          api.post(
              "/v1/tasks/batch",
              "{\"tasks\":[{\"type\":\"noop\"},{\"type\":\"noop\"}," + bad + "]}");

      assertThat(r.status()).as(bad).isEqualTo(400);
      assertThat(r.json().path("field").asText()).as(bad).startsWith("tasks[2].");
      assertThat(r.detail()).as(bad).startsWith("tasks[2].");
    }

    Api.Reply missingParent =
        api.post(
            "/v1/tasks/batch",
            "{\"tasks\":[{\"type\":\"noop\"},{\"type\":\"noop\",\"dependsOn\":[123456]}]}");
    assertThat(missingParent.status()).isEqualTo(400);
    assertThat(missingParent.json().get("field").asText()).endsWith("dependsOn");
    assertThat(missingParent.detail()).contains("123456");

    assertThat(api.get("/v1/tasks").json().get("items")).as("nothing was written").isEmpty();
  }

  @Test
  void batchIdempotencyConflictWritesNothing() {
    long existing = api.submit("{\"type\":\"noop\",\"payload\":1,\"idempotencyKey\":\"k\"}");

    Api.Reply r =
        api.post(
            "/v1/tasks/batch",
            "{\"tasks\":[{\"type\":\"noop\"},{\"type\":\"noop\",\"payload\":2,"
                + "\"idempotencyKey\":\"k\"}]}");

    assertThat(r.status()).isEqualTo(409);
    assertThat(ids(api.get("/v1/tasks").json())).containsExactly(existing);
  }

  private void awaitState(long id, TaskState state) throws InterruptedException {
    long end = System.nanoTime() + WAIT.toNanos();
    while (server.spindle().get(id).orElseThrow().state() != state) {
      if (System.nanoTime() > end) {
        throw new AssertionError("task " + id + " never became " + state);
      }
      Thread.sleep(5); // waiting on worker threads; no time logic depends on it
    }
  }

  static List<Long> ids(JsonNode page) {
    List<Long> ids = new ArrayList<>();
    page.get("items").forEach(n -> ids.add(n.get("id").asLong()));
    Set<Long> distinct = new HashSet<>(ids);
    assertThat(distinct).hasSameSizeAs(ids);
    return ids;
  }
}
