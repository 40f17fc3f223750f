package dev.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spindle.server.SpindleServer;
import dev.spindle.store.sqlite.SqliteTaskStore;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client commands against a real server, in this process, on a temporary SQLite store. */
class CliAgainstServerTest {
  @TempDir static Path dir;
  static SpindleServer server;
  static String url;

  @BeforeAll
  static void startServer() {
    server =
        SpindleServer.builder()
            .port(0)
            .store(SqliteTaskStore.open(dir.resolve("tasks.db")))
            .configure(
                b ->
                    b.handler(
                        "boom",
                        JsonNode.class,
                        (payload, ctx) -> {
                          throw new IllegalStateException("boom on attempt " + ctx.attempt());
                        }))
            .start();
    url = "--url=http://127.0.0.1:" + server.port();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void submitWaitPrintsTheResultJson() {
    CliRun r = CliRun.run("submit", "sleep", "{\"millis\": 20}", "--wait", url);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out().strip()).isEqualTo("{\"sleptMillis\":20}");
    assertThat(r.err()).containsPattern("task \\d+ submitted, waiting");
  }

  @Test
  void submitPrintsTheIdAndStatusShowsTheTask() {
    CliRun submitted = CliRun.run("submit", "sleep", "{\"millis\": 1}", "--priority", "7", url);
    assertThat(submitted.exitCode()).as(submitted.err()).isZero();
    long id = Long.parseLong(submitted.out().strip());

    CliRun status = CliRun.run("status", Long.toString(id), url);
    assertThat(status.exitCode()).isZero();
    assertThat(status.out())
        .containsPattern("(?m)^id +" + id + "$")
        .containsPattern("(?m)^type +sleep$")
        .containsPattern("(?m)^priority +7$")
        .containsPattern("(?m)^state +(READY|RUNNING|SUCCEEDED)$");

    CliRun json = CliRun.run("status", Long.toString(id), "--json", url);
    assertThat(json.out()).contains("\"id\" : " + id, "\"payload\" : {");
  }

  @Test
  void payloadFromStdin() {
    CliRun r = CliRun.withStdin("{\"millis\": 3}", "submit", "sleep", "-", "--wait", url);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out().strip()).isEqualTo("{\"sleptMillis\":3}");
  }

  @Test
  void waitingOnATaskThatEndsDeadExitsOneWithItsError() {
    CliRun r = CliRun.run("submit", "boom", "--max-attempts", "1", "--wait", url);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).containsPattern("task \\d+ ended DEAD after 1 attempt\\(s\\): .*boom on");
  }

  @Test
  void waitGivesUpAfterTheTimeout() {
    CliRun r = CliRun.run("submit", "noop", "--delay", "1h", "--wait", "--timeout", "200ms", url);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).containsPattern("task (\\d+) is still SCHEDULED after 200ms; see `spindle");
  }

  @Test
  void listShowsATableFilteredByState() {
    long id = submit("sleep", "{\"millis\": 1}", "--delay", "1h", "--queue", "default");
    CliRun r = CliRun.run("list", "--state", "scheduled", "--type", "sleep", url);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out().lines().findFirst().orElseThrow())
        .startsWith("ID")
        .contains("STATE", "TYPE", "QUEUE", "ATTEMPTS", "CREATED", "ERROR");
    assertThat(r.out()).containsPattern("(?m)^" + id + " +SCHEDULED +sleep +default +0/\\d+ ");

    CliRun json = CliRun.run("list", "--state", "SCHEDULED", "--json", url);
    assertThat(json.out()).contains("\"items\"", "\"id\" : " + id);
  }

  @Test
  void listPagesWithACursor() {
    for (int i = 0; i < 3; i++) {
      submit("noop", "{}", "--delay", "1h", "--queue", "default", "--priority", "-5");
    }
    CliRun first = CliRun.run("list", "--limit", "2", url);
    assertThat(first.exitCode()).isZero();
    assertThat(first.out().lines()).hasSize(3); // header and two tasks
    assertThat(first.err()).startsWith("more: add --cursor ");
    String cursor = first.err().strip().substring("more: add --cursor ".length());
    CliRun second = CliRun.run("list", "--limit", "2", "--cursor", cursor, url);
    assertThat(second.exitCode()).isZero();
    assertThat(second.out().lines().skip(1))
        .doesNotContainAnyElementsOf(first.out().lines().skip(1).toList());
  }

  @Test
  void cancelThenRetry() {
    long id = submit("sleep", "{\"millis\": 1}", "--delay", "1h");
    String ref = Long.toString(id);

    CliRun cancel = CliRun.run("cancel", ref, url);
    assertThat(cancel.exitCode()).as(cancel.err()).isZero();
    assertThat(cancel.out().strip()).isEqualTo("task " + id + " cancelled");
    assertThat(CliRun.run("status", ref, url).out()).containsPattern("(?m)^state +CANCELLED$");

    CliRun again = CliRun.run("cancel", ref, url);
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("task " + id + " is CANCELLED", "only waiting or running");

    CliRun retry = CliRun.run("retry", ref, url);
    assertThat(retry.exitCode()).as(retry.err()).isZero();
    assertThat(retry.out().strip())
        .isEqualTo("task " + id + " requeued with a fresh attempt budget");
    assertThat(CliRun.run("status", ref, url).out()).doesNotContain("CANCELLED");

    CliRun retryAgain = CliRun.run("retry", ref, url);
    assertThat(retryAgain.exitCode()).isEqualTo(1);
    assertThat(retryAgain.err()).contains("only DEAD, CANCELLED and EXPIRED tasks can be retried");
  }

  @Test
  void unknownIdExitsOneWithTheServersDetail() {
    CliRun r = CliRun.run("status", "987654321", url);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err().strip()).isEqualTo("spindle status: no task with id 987654321");
    assertThat(CliRun.run("cancel", "987654321", url).exitCode()).isEqualTo(1);
    assertThat(CliRun.run("retry", "987654321", url).exitCode()).isEqualTo(1);
  }

  @Test
  void aRefusedSubmitPrintsTheProblemDetail() {
    CliRun r = CliRun.run("submit", "sleep", "{\"millis\": -1}", url);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("spindle submit: ").contains("millis");
    CliRun unknown = CliRun.run("submit", "no-such-type", url);
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err()).contains("no-such-type");
  }

  @Test
  void idempotencyKeyReturnsTheSameId() {
    long first = submit("noop", "{\"n\": 1}", "--idempotency-key", "cli-test-key", "--delay", "1h");
    long second =
        submit("noop", "{\"n\": 1}", "--idempotency-key", "cli-test-key", "--delay", "1h");
    assertThat(second).isEqualTo(first);
  }

  @Test
  void queuesShowsCountsPerState() {
    submit("noop", "null", "--delay", "1h");
    CliRun r = CliRun.run("queues", url);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out().lines().findFirst().orElseThrow()).startsWith("QUEUE").contains("SCHEDULED");
    assertThat(r.out()).containsPattern("(?m)^default +\\d+ +\\d+ ");
  }

  @Test
  void dependentTaskRunsAfterItsParent() throws Exception {
    long parent = submit("sleep", "{\"millis\": 50}");
    CliRun child =
        CliRun.run("submit", "noop", "--depends-on", Long.toString(parent), "--wait", url);
    assertThat(child.exitCode()).as(child.err()).isZero();
    assertThat(server.spindle().awaitFinal(parent, Duration.ofSeconds(5)).state().isFinal())
        .isTrue();
  }

  private static long submit(String... args) {
    String[] full = new String[args.length + 2];
    full[0] = "submit";
    System.arraycopy(args, 0, full, 1, args.length);
    full[full.length - 1] = url;
    CliRun r = CliRun.run(full);
    assertThat(r.exitCode()).as(r.err()).isZero();
    return Long.parseLong(r.out().strip());
  }
}
