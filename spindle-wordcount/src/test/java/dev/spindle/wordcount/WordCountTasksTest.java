package dev.spindle.wordcount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.RetryPolicy;
import dev.spindle.core.Spindle;
import dev.spindle.core.SpindleBuilder;
import dev.spindle.core.TaskRequest;
import dev.spindle.core.TaskTypeOptions;
import dev.spindle.core.task.PageRequest;
import dev.spindle.core.task.TaskFilter;
import dev.spindle.core.task.TaskInfo;
import dev.spindle.core.task.TaskState;
import dev.spindle.store.sqlite.SqliteTaskStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three task types on a Spindle of the test's own, as a server would run them. */
class WordCountTasksTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path tmp;
  private Spindle spindle;

  @AfterEach
  void close() {
    if (spindle != null) {
      spindle.close();
    }
  }

  private SpindleBuilder builder() {
    SpindleBuilder b =
        Spindle.builder()
            .store(SqliteTaskStore.open(tmp.resolve("tasks.db")))
            .pollInterval(Duration.ofMillis(20))
            .maintenanceInterval(Duration.ofMillis(50))
            .shutdownTimeout(Duration.ofSeconds(5));
    WordCount.register(b);
    return b;
  }

  private Spindle start(SpindleBuilder b) {
    spindle = b.build().start();
    return spindle;
  }

  private List<TaskInfo> tasksOfType(String type) {
    return spindle
        .list(TaskFilter.all(Instant.now()).withType(type), PageRequest.first(1000))
        .items();
  }

  @Test
  void submittedJobSplitsIntoFileTasksAndAMergeThatWaitsForThem() throws Exception {
    List<Path> files = new Corpus(11, 100).writeTree(tmp.resolve("c"), 5, 800);
    Path db = tmp.resolve("words.db");
    start(builder());

    long id =
        spindle.submit(
            TaskRequest.ofJson(
                WordCount.SPLIT,
                "{\"dir\": \"" + tmp.resolve("c") + "\", \"db\": \"" + db + "\"}"));
    spindle.awaitFinal(id, WAIT);
    SplitResult split = spindle.result(id, SplitResult.class).orElseThrow();
    TaskInfo merge = spindle.awaitFinal(split.mergeTaskId(), WAIT);

    assertThat(split.files()).isEqualTo(5);
    assertThat(merge.state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(merge.dependsOn()).hasSize(5);
    assertThat(tasksOfType(WordCount.FILE))
        .extracting(TaskInfo::id)
        .containsExactlyInAnyOrderElementsOf(merge.dependsOn());
    MergeResult result = spindle.result(merge.id(), MergeResult.class).orElseThrow();
    assertThat(result.totalWords()).isEqualTo(Corpus.sum(Corpus.reference(files)));
    assertThat(merge.resultJson().orElseThrow()).contains("\"top\":[[\"");
  }

  @Test
  void retriedSplitReusesTheChildrenOfItsFirstAttempt() throws Exception {
    List<Path> files = new Corpus(12, 100).writeTree(tmp.resolve("c"), 4, 500);
    CorpusSplitter splitter = new CorpusSplitter();
    AtomicInteger attempts = new AtomicInteger();
    SpindleBuilder b =
        builder()
            .handler(
                "flaky-split",
                WordCountJob.class,
                (job, ctx) -> {
                  Object result = splitter.handle(job, ctx);
                  if (attempts.incrementAndGet() == 1) {
                    throw new IllegalStateException("worker lost after submitting the children");
                  }
                  return result;
                },
                TaskTypeOptions.DEFAULTS
                    .withQueue(WordCount.QUEUE)
                    .withRetry(
                        RetryPolicy.DEFAULT.withBackoff(
                            Duration.ofMillis(10), 1.0, Duration.ofMillis(10))));
    start(b);

    long id =
        spindle.submit(
            TaskRequest.of(
                "flaky-split", WordCountJob.ofDirectory(tmp.resolve("c"), tmp.resolve("w.db"))));
    TaskInfo split = spindle.awaitFinal(id, WAIT);
    SplitResult result = spindle.result(id, SplitResult.class).orElseThrow();
    spindle.awaitFinal(result.mergeTaskId(), WAIT);

    assertThat(split.attempts()).isEqualTo(2);
    assertThat(tasksOfType(WordCount.FILE)).hasSize(4);
    assertThat(tasksOfType(WordCount.MERGE)).hasSize(1);
    try (WordCountReport report = WordCountReport.open(tmp.resolve("w.db"))) {
      assertThat(report.totalWords()).isEqualTo(Corpus.sum(Corpus.reference(files)));
    }
  }

  @Test
  void badPayloadsFailTheJobForGoodWithAClearMessage() throws Exception {
    Files.createDirectories(tmp.resolve("c"));
    Path file = Files.writeString(tmp.resolve("f.txt"), "x");
    start(builder());
    String db = "\"db\": \"" + tmp.resolve("w.db") + "\"";
    String both =
        "{\"dir\": \"" + tmp.resolve("c") + "\", \"paths\": [\"" + file + "\"], " + db + "}";
    String neither = "{" + db + "}";
    String missingDir = "{\"dir\": \"" + tmp.resolve("gone") + "\", " + db + "}";
    String noDb = "{\"dir\": \"" + tmp.resolve("c") + "\"}";

    assertThat(lastErrorOf(both))
        .startsWith(
            "not retryable: dev.spindle.core.NonRetryableException: wordcount: give exactly one"
                + " of \"dir\"")
        .contains("not both");
    assertThat(CountMerger.errorOf(spindle.awaitFinal(submit(neither), WAIT)))
        .isEqualTo(
            "wordcount: give exactly one of \"dir\" (a directory to count recursively) or"
                + " \"paths\" (a list of files and directories), got neither");
    assertThat(lastErrorOf(missingDir)).contains(tmp.resolve("gone") + " does not exist");
    assertThat(lastErrorOf(noDb)).contains("\"db\" is required");
    assertThat(tasksOfType(WordCount.FILE)).isEmpty();
  }

  private long submit(String json) {
    return spindle.submit(TaskRequest.ofJson(WordCount.SPLIT, json));
  }

  private String lastErrorOf(String json) throws Exception {
    TaskInfo t = spindle.awaitFinal(submit(json), WAIT);
    assertThat(t.state()).isEqualTo(TaskState.DEAD);
    assertThat(t.attempts()).as("not retried").isEqualTo(1);
    return t.lastError().orElseThrow();
  }

  @Test
  void jobValidationNamesTheFieldAtFault() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("c"));
    Path file = Files.writeString(tmp.resolve("f.txt"), "x");
    String db = tmp.resolve("w.db").toString();

    assertThatThrownBy(
            () -> new WordCountJob(dir.toString(), List.of(file.toString()), db).validate())
        .hasMessageContaining("exactly one of \"dir\"")
        .hasMessageEndingWith("not both");
    assertThatThrownBy(() -> new WordCountJob(null, null, db).validate())
        .hasMessageEndingWith("got neither");
    assertThatThrownBy(() -> new WordCountJob(file.toString(), null, db).validate())
        .hasMessageContaining("is not a directory");
    assertThatThrownBy(() -> new WordCountJob(null, List.of(), db).validate())
        .hasMessage("wordcount: \"paths\" is empty; list at least one file or directory");
    assertThatThrownBy(() -> new WordCountJob(dir.toString(), null, null).validate())
        .hasMessageStartingWith("wordcount: \"db\" is required");
    assertThatThrownBy(() -> new WordCountJob(dir.toString(), null, dir.toString()).validate())
        .hasMessageContaining("is a directory");
  }

  @Test
  void unknownPayloadFieldIsRefused() throws Exception {
    start(builder());

    TaskInfo t = spindle.awaitFinal(submit("{\"directory\": \"/x\", \"db\": \"/tmp/w.db\"}"), WAIT);

    assertThat(t.state()).isEqualTo(TaskState.DEAD);
    assertThat(t.lastError().orElseThrow()).contains("directory");
  }
}
