package dev.spindle.wordcount;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.task.Page;
import dev.spindle.core.task.PageRequest;
import dev.spindle.core.task.TaskFilter;
import dev.spindle.core.task.TaskInfo;
import dev.spindle.store.sqlite.SqliteTaskStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wall time of {@link WordCountRun#run} on a generated corpus of 2,000 files, about 50 MB. Off by
 * default; run with {@code mvn -pl spindle-wordcount test -Dtest=WordCountRunBench
 * -Dwordcount.bench=true [-Dwordcount.bench.concurrency=64] [-Dwordcount.bench.dir=/tmp/wc]}; with
 * a directory given, the corpus, words db and task store are kept there for a look afterwards.
 */
@EnabledIfSystemProperty(named = "wordcount.bench", matches = "true")
class WordCountRunBench {
  private static final int FILES = 2_000;
  private static final int CHARS_PER_FILE = 25_000;
  private static final int VOCABULARY = 50_000;

  @TempDir Path tmp;

  @Test
  void countTwoThousandFiles() throws Exception {
    int concurrency = Integer.getInteger("wordcount.bench.concurrency", 64);
    String keep = System.getProperty("wordcount.bench.dir");
    Path work = keep != null ? Path.of(keep) : tmp;
    Path corpus = work.resolve("corpus");
    long genStart = System.nanoTime();
    List<Path> files = new Corpus(42, VOCABULARY).writeTree(corpus, FILES, CHARS_PER_FILE);
    long bytes;
    try (Stream<Path> s = files.stream()) {
      bytes = s.mapToLong(p -> p.toFile().length()).sum();
    }
    System.out.printf(
        "corpus: %d files, %.1f MB, generated in %d ms%n",
        files.size(), bytes / 1e6, (System.nanoTime() - genStart) / 1_000_000);

    Path db = work.resolve("words.db");
    Files.deleteIfExists(db);
    deleteTree(work.resolve("data")); // a cold task store; the second run then reuses it
    for (String label : List.of("first run", "second run (replaces)")) {
      Instant runStart = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      long cpuStart = processCpuNanos();
      WordCountRun.Result r =
          WordCountRun.run(corpus, db, work.resolve("data"), concurrency, Duration.ofMinutes(10));
      long cpu = processCpuNanos() - cpuStart;
      System.out.printf(
          "%s: concurrency %d, %d files, %d words, %d distinct, %d ms wall, %d ms CPU, load %.1f"
              + " (%.1f MB/s), db %.1f MB%n",
          label,
          concurrency,
          r.files(),
          r.totalWords(),
          r.distinctWords(),
          r.elapsed().toMillis(),
          cpu / 1_000_000,
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
          bytes / 1e6 / (r.elapsed().toNanos() / 1e9),
          Files.size(db) / 1e6);
      System.out.println(
          "  " + phases(work.resolve("data").resolve(WordCountRun.TASKS_DB), runStart));
      assertThat(r.files()).isEqualTo(FILES);
      assertThat(r.failedFiles()).isEmpty();
    }
  }

  /** Where the time went, from the tasks' own timestamps in the task store. */
  private static String phases(Path tasksDb, Instant runStart) {
    List<TaskInfo> tasks = new ArrayList<>();
    try (SqliteTaskStore store = SqliteTaskStore.open(tasksDb)) {
      Optional<Long> after = Optional.empty();
      do {
        Page<TaskInfo> page =
            store.list(
                TaskFilter.all(Instant.now()), new PageRequest(PageRequest.MAX_LIMIT, after));
        page.items().stream().filter(t -> !t.createdAt().isBefore(runStart)).forEach(tasks::add);
        after = page.nextCursor();
      } while (after.isPresent());
    }
    TaskInfo split = only(tasks, WordCount.SPLIT);
    TaskInfo merge = only(tasks, WordCount.MERGE);
    List<TaskInfo> files = tasks.stream().filter(t -> t.type().equals(WordCount.FILE)).toList();
    Instant filesStart =
        files.stream()
            .map(t -> t.startedAt().orElseThrow())
            .min(Comparator.naturalOrder())
            .orElseThrow();
    Instant filesEnd =
        files.stream()
            .map(t -> t.finishedAt().orElseThrow())
            .max(Comparator.naturalOrder())
            .orElseThrow();
    return String.format(
        "split %d ms, file tasks %d ms (first start to last finish), merge waits %d ms, merge %d ms",
        millis(split.startedAt().orElseThrow(), split.finishedAt().orElseThrow()),
        millis(filesStart, filesEnd),
        millis(filesEnd, merge.startedAt().orElseThrow()),
        millis(merge.startedAt().orElseThrow(), merge.finishedAt().orElseThrow()));
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static TaskInfo only(List<TaskInfo> tasks, String type) {
    List<TaskInfo> of = tasks.stream().filter(t -> t.type().equals(type)).toList();
    assertThat(of).hasSize(1);
    return of.get(0);
  }

  private static long millis(Instant from, Instant to) {
    return Duration.between(from, to).toMillis();
  }
}
