package dev.spindle.server.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Spindle;
import dev.spindle.core.TaskRequest;
import dev.spindle.core.task.TaskInfo;
import dev.spindle.core.task.TaskState;
import dev.spindle.store.sqlite.SqliteTaskStore;
import io.helidon.webserver.WebServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code http} task against a local web server. */
class HttpTaskTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  final CountDownLatch release = new CountDownLatch(1);
  WebServer target;
  BuiltinTaskTypes builtins;
  Spindle spindle;

  @BeforeEach
  void start() {
    target =
        WebServer.builder()
            .host("127.0.0.1")
            .port(0)
            .shutdownHook(false)
            .routing(
                r ->
                    r.get("/ok", (req, res) -> res.send("hello"))
                        .post(
                            "/echo",
                            (req, res) ->
                                res.send(
                                    req.headers()
                                            .first(io.helidon.http.HeaderNames.create("X-Test"))
                                            .orElse("-")
                                        + ":"
                                        + req.content().as(String.class)))
                        .get("/big", (req, res) -> res.send("x".repeat(100_000)))
                        .get("/missing", (req, res) -> res.status(404).send("no such thing"))
                        .get("/boom", (req, res) -> res.status(503).send("overloaded"))
                        .get(
                            "/slow",
                            (req, res) -> {
                              release.await(30, TimeUnit.SECONDS);
                              res.send("late");
                            }))
            .build()
            .start();
    builtins = BuiltinTaskTypes.create();
    var b = Spindle.builder().store(SqliteTaskStore.open(dir.resolve("t.db")));
    b.pollInterval(Duration.ofMillis(50));
    builtins.register(b);
    spindle = b.build().start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    spindle.close();
    builtins.close();
    target.stop();
  }

  private String url(String path) {
    return "http://127.0.0.1:" + target.port() + path;
  }

  private TaskInfo run(TaskRequest request) throws Exception {
    return spindle.awaitFinal(spindle.submit(request), WAIT);
  }

  @Test
  void successfulAnswerIsTheResult() throws Exception {
    TaskInfo t = run(TaskRequest.of("http", Map.of("url", url("/ok"))));

    assertThat(t.state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(t.resultJson()).hasValue("{\"status\":200,\"body\":\"hello\",\"truncated\":false}");
  }

  @Test
  void methodHeadersAndBodyAreSent() throws Exception {
    TaskInfo t =
        run(
            TaskRequest.of(
                "http",
                Map.of(
                    "url",
                    url("/echo"),
                    "method",
                    "post",
                    "headers",
                    Map.of("X-Test", "yes"),
                    "body",
                    "payload")));

    assertThat(t.resultJson().orElseThrow()).contains("\"body\":\"yes:payload\"");
  }

  @Test
  void longAnswerIsTruncated() throws Exception {
    TaskInfo t = run(TaskRequest.of("http", Map.of("url", url("/big"))));

    String result = t.resultJson().orElseThrow();
    assertThat(result).contains("\"truncated\":true");
    assertThat(result.getBytes(StandardCharsets.UTF_8).length)
        .isLessThan(HttpTask.MAX_RESULT_BODY_BYTES + 100);
  }

  @Test
  void clientErrorFailsForGoodAtOnce() throws Exception {
    TaskInfo t = run(TaskRequest.of("http", Map.of("url", url("/missing"))).withMaxAttempts(5));

    assertThat(t.state()).isEqualTo(TaskState.DEAD);
    assertThat(t.attempts()).isEqualTo(1);
    assertThat(t.lastError().orElseThrow()).contains("answered 404").contains("no such thing");
  }

  @Test
  void serverErrorIsRetried() throws Exception {
    TaskInfo t = run(TaskRequest.of("http", Map.of("url", url("/boom"))).withMaxAttempts(2));

    assertThat(t.state()).isEqualTo(TaskState.DEAD);
    assertThat(t.attempts()).as("retried once").isEqualTo(2);
    assertThat(t.lastError().orElseThrow()).contains("answered 503").contains("overloaded");
  }

  @Test
  void timeoutFailsTheAttempt() throws Exception {
    TaskInfo t =
        run(
            TaskRequest.of("http", Map.of("url", url("/slow"), "timeoutMillis", 50))
                .withMaxAttempts(1));

    assertThat(t.state()).isEqualTo(TaskState.DEAD);
    assertThat(t.lastError().orElseThrow()).containsIgnoringCase("timed out");
  }

  @Test
  void urlWithOtherSchemeFailsForGood() throws Exception {
    TaskInfo t =
        run(TaskRequest.of("http", Map.of("url", "file:///etc/passwd")).withMaxAttempts(5));

    assertThat(t.state()).isEqualTo(TaskState.DEAD);
    assertThat(t.attempts()).isEqualTo(1);
    assertThat(t.lastError().orElseThrow()).contains("must start with http:// or https://");
  }
}
