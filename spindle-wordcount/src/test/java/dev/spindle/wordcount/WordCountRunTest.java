package dev.spindle.wordcount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole pipeline, as {@code spindle wordcount DIR --db words.db} runs it. */
class WordCountRunTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path tmp;

  private Path corpus() {
    return tmp.resolve("corpus");
  }

  private Path db() {
    return tmp.resolve("out/words.db");
  }

  private WordCountRun.Result run() throws Exception {
    return WordCountRun.run(corpus(), db(), tmp.resolve("data"), 8, TIMEOUT);
  }

  private static List<WordFrequency> topOf(Map<String, Long> counts, int n) {
    return counts.entrySet().stream()
        .map(e -> new WordFrequency(e.getKey(), e.getValue()))
        .sorted(
            Comparator.comparingLong(WordFrequency::count)
                .reversed()
                .thenComparing(WordFrequency::word))
        .limit(n)
        .toList();
  }

  @Test
  void countsOfANestedTreeMatchTheReference() throws Exception {
    List<Path> files = new Corpus(1, 300).writeTree(corpus(), 24, 3_000);
    Files.write(corpus().resolve("d1/empty.txt"), new byte[0]);
    files.add(corpus().resolve("d1/empty.txt"));

    WordCountRun.Result result = run();

    Map<String, Long> expected = Corpus.reference(files);
    assertThat(result.files()).isEqualTo(25);
    assertThat(result.failedFiles()).isEmpty();
    assertThat(result.totalWords()).isEqualTo(Corpus.sum(expected));
    assertThat(result.distinctWords()).isEqualTo(expected.size());
    assertThat(result.top()).isEqualTo(topOf(expected, 10));
    assertThat(result.elapsed()).isPositive();
    try (WordCountReport report = WordCountReport.open(db())) {
      assertThat(report.totalWords()).isEqualTo(Corpus.sum(expected));
      assertThat(report.top(50)).isEqualTo(topOf(expected, 50));
      assertThat(report.fileCount()).isEqualTo(25);
      assertThat(report.count("straße")).hasValue(expected.get("straße"));
      assertThat(report.count("no-such-word")).isEmpty();
      for (Path f : files) {
        assertThat(report.countsOf(f))
            .as(f.toString())
            .isEqualTo(Corpus.reference(Files.readString(f)));
      }
    }
  }

  @Test
  void fileThatCannotBeReadFailsAloneAndTheOthersAreCounted() throws Exception {
    List<Path> good = new Corpus(2, 100).writeTree(corpus(), 6, 1_000);
    Path latin1 = corpus().resolve("d0/latin1.txt");
    Files.write(latin1, "déjà vu".getBytes(StandardCharsets.ISO_8859_1));

    WordCountRun.Result result = run();

    assertThat(result.files()).isEqualTo(7);
    assertThat(result.failedFiles())
        .containsExactly(
            new FileFailure(
                latin1.toString(),
                "cannot count "
                    + latin1
                    + ": not valid UTF-8 at byte offset 1; only UTF-8 text is counted"));
    assertThat(result.totalWords()).isEqualTo(Corpus.sum(Corpus.reference(good)));
    try (WordCountReport report = WordCountReport.open(db())) {
      assertThat(report.failedFiles()).isEqualTo(result.failedFiles());
      assertThat(report.fileCount()).isEqualTo(6);
    }
  }

  @Test
  void fileWithoutReadPermissionFailsAlone() throws Exception {
    List<Path> good = new Corpus(3, 100).writeTree(corpus(), 3, 500);
    Path secret = Files.writeString(corpus().resolve("secret.txt"), "hidden words");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
    assumeThat(Files.isReadable(secret))
        .as("running as root: permissions are not enforced")
        .isFalse();

    WordCountRun.Result result = run();

    assertThat(result.failedFiles())
        .containsExactly(
            new FileFailure(secret.toString(), "cannot count " + secret + ": permission denied"));
    assertThat(result.totalWords()).isEqualTo(Corpus.sum(Corpus.reference(good)));
  }

  @Test
  void runningTwiceDoesNotDoubleAndARecountFollowsTheTree() throws Exception {
    List<Path> files = new Corpus(4, 200).writeTree(corpus(), 10, 2_000);
    WordCountRun.Result first = run();

    WordCountRun.Result second = run();

    assertThat(second.totalWords()).isEqualTo(first.totalWords());
    assertThat(second.top()).isEqualTo(first.top());

    Files.delete(files.remove(0));
    Files.writeString(files.get(0), "changed changed text");
    WordCountRun.Result third = run();

    Map<String, Long> expected = Corpus.reference(files);
    assertThat(third.files()).isEqualTo(9);
    assertThat(third.totalWords()).isEqualTo(Corpus.sum(expected));
    assertThat(third.distinctWords()).isEqualTo(expected.size());
    try (WordCountReport report = WordCountReport.open(db())) {
      assertThat(report.fileCount()).isEqualTo(9);
      assertThat(report.countsOf(files.get(0))).isEqualTo(Map.of("changed", 2L, "text", 1L));
    }
  }

  @Test
  void twoDirectoriesIntoOneDbAddUp() throws Exception {
    List<Path> a = new Corpus(5, 100).writeTree(tmp.resolve("a"), 4, 1_000);
    List<Path> b = new Corpus(6, 100).writeTree(tmp.resolve("b"), 4, 1_000);

    WordCountRun.run(tmp.resolve("a"), db(), tmp.resolve("data"), 4, TIMEOUT);
    WordCountRun.Result both =
        WordCountRun.run(tmp.resolve("b"), db(), tmp.resolve("data"), 4, TIMEOUT);

    List<Path> all = new ArrayList<>(a);
    all.addAll(b);
    assertThat(both.files()).isEqualTo(4);
    assertThat(both.totalWords()).isEqualTo(Corpus.sum(Corpus.reference(all)));
  }

  @Test
  void emptyDirectoryGivesAnEmptyReport() throws Exception {
    Files.createDirectories(corpus());

    WordCountRun.Result result = run();

    assertThat(result.files()).isZero();
    assertThat(result.totalWords()).isZero();
    assertThat(result.top()).isEmpty();
  }

  @Test
  void outputDbInsideTheCountedDirectoryIsNotCounted() throws Exception {
    List<Path> files = new Corpus(7, 50).writeTree(corpus(), 3, 500);
    Path db = corpus().resolve("words.db");

    WordCountRun.run(corpus(), db, tmp.resolve("data"), 4, TIMEOUT);
    WordCountRun.Result again = WordCountRun.run(corpus(), db, tmp.resolve("data"), 4, TIMEOUT);

    assertThat(again.files()).isEqualTo(3);
    assertThat(again.failedFiles()).isEmpty();
    assertThat(again.totalWords()).isEqualTo(Corpus.sum(Corpus.reference(files)));
  }

  @Test
  void symbolicLinkLoopIsNotFollowed() throws Exception {
    List<Path> files = new Corpus(8, 50).writeTree(corpus(), 3, 500);
    Files.createSymbolicLink(corpus().resolve("d1/e1/loop"), corpus());

    WordCountRun.Result result = run();

    assertThat(result.files()).isEqualTo(3);
    assertThat(result.totalWords()).isEqualTo(Corpus.sum(Corpus.reference(files)));
  }

  @Test
  void pathsCountListedFilesAndDirectoriesAndAMissingFileFailsAlone() throws Exception {
    List<Path> inDir = new Corpus(9, 50).writeTree(tmp.resolve("dir"), 3, 500);
    Path single = Files.writeString(tmp.resolve("single.txt"), "Alpha beta ALPHA");
    Path missing = tmp.resolve("missing.txt");
    WordCountJob job = WordCountJob.ofPaths(List.of(single, missing, tmp.resolve("dir")), db());

    WordCountRun.Result result = WordCountRun.run(job, tmp.resolve("data"), 4, TIMEOUT);

    List<Path> counted = new ArrayList<>(inDir);
    counted.add(single);
    assertThat(result.files()).isEqualTo(5);
    assertThat(result.failedFiles())
        .containsExactly(
            new FileFailure(missing.toString(), "cannot count " + missing + ": no such file"));
    assertThat(result.totalWords()).isEqualTo(Corpus.sum(Corpus.reference(counted)));
    try (WordCountReport report = WordCountReport.open(db())) {
      assertThat(report.countsOf(single)).isEqualTo(Map.of("alpha", 2L, "beta", 1L));
    }
  }

  @Test
  void brokenSymbolicLinkIsReportedAsFailed() throws Exception {
    List<Path> files = new Corpus(10, 50).writeTree(corpus(), 2, 300);
    Path link = Files.createSymbolicLink(corpus().resolve("dangling.txt"), tmp.resolve("nowhere"));

    WordCountRun.Result result = run();

    assertThat(result.failedFiles())
        .containsExactly(new FileFailure(link.toString(), "broken symbolic link"));
    assertThat(result.totalWords()).isEqualTo(Corpus.sum(Corpus.reference(files)));
  }

  @Test
  void outputFileThatIsNotSqliteFailsTheRunWithAClearMessage() throws Exception {
    new Corpus(11, 50).writeTree(corpus(), 2, 300);
    Files.createDirectories(db().getParent());
    Files.writeString(db(), "these are my notes, not a database\n".repeat(100));

    assertThatThrownBy(this::run)
        .isInstanceOf(WordCountException.class)
        .hasMessage(
            "could not write the counts into "
                + db()
                + ": could not open words database "
                + db()
                + ": the file is not a SQLite database; name a new file or a words database");
    assertThatThrownBy(() -> WordCountReport.open(db()))
        .isInstanceOf(NotAWordsDbException.class)
        .hasMessageContaining("is not a words database written by spindle wordcount");
  }

  @Test
  void runThatTimesOutSaysSoAndTheNextRunCountsCorrectly() throws Exception {
    List<Path> files = new Corpus(12, 50).writeTree(corpus(), 20, 2_000);

    assertThatThrownBy(
            () -> WordCountRun.run(corpus(), db(), tmp.resolve("data"), 2, Duration.ofMillis(1)))
        .isInstanceOf(TimeoutException.class)
        .hasMessage("word count did not finish within PT0.001S");
    WordCountRun.Result result = run();

    assertThat(result.totalWords()).isEqualTo(Corpus.sum(Corpus.reference(files)));
  }

  @Test
  void invalidJobIsRefusedBeforeAnythingRuns() {
    assertThatThrownBy(
            () -> WordCountRun.run(tmp.resolve("nope"), db(), tmp.resolve("data"), 4, TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("wordcount: \"dir\" " + tmp.resolve("nope") + " does not exist");
    assertThat(tmp.resolve("data")).doesNotExist();
  }
}
