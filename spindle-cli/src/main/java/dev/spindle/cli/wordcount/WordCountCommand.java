package dev.spindle.cli.wordcount;

import dev.spindle.cli.CliFailure;
import dev.spindle.cli.DurationConverter;
import dev.spindle.core.store.StoreLockedException;
import dev.spindle.wordcount.FileFailure;
import dev.spindle.wordcount.WordCountException;
import dev.spindle.wordcount.WordCountReport;
import dev.spindle.wordcount.WordCountRun;
import dev.spindle.wordcount.WordFrequency;
import dev.spindle.wordcount.WordsDbException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code spindle wordcount DIR}: the word-count pipeline, in this process. */
@Command(
    name = "wordcount",
    mixinStandardHelpOptions = true,
    description = {
      "Count the words of every file under DIR with Spindle tasks run in this process (one task"
          + " per file, then a merge), into the SQLite words database --db. No server needed.",
      "Prints the files counted, the files that failed and why, the total and distinct words of"
          + " the database, and the most frequent words. Exit 1 if a file failed (the counts of"
          + " the others are still written and printed)."
    })
public final class WordCountCommand implements Callable<Integer> {
  @Parameters(paramLabel = "DIR", description = "the directory to count, recursively")
  Path dir;

  @Option(
      names = "--db",
      paramLabel = "FILE",
      defaultValue = "words.db",
      description = "the words database to write (default ./${DEFAULT-VALUE})")
  Path db;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      defaultValue = "spindle-data",
      description =
          "where the tasks are kept, in DIR/"
              + WordCountRun.TASKS_DB
              + " (default ./${DEFAULT-VALUE})")
  Path data;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      description = "files counted at once (default: the number of cores)")
  Integer concurrency;

  @Option(
      names = "--top",
      paramLabel = "N",
      defaultValue = "10",
      description = "how many of the most frequent words to print (default ${DEFAULT-VALUE})")
  int top;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "1h",
      description = "give up (exit 1) after this long (default ${DEFAULT-VALUE})")
  Duration timeout;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    if (!Files.isDirectory(dir)) {
      throw usage(
          "'"
              + dir
              + "' is "
              + (Files.exists(dir) ? "not a directory" : "not there")
              + "; give a directory to count");
    }
    int workers = concurrency != null ? concurrency : Runtime.getRuntime().availableProcessors();
    if (workers < 1 || workers > 10_000) {
      throw usage("Invalid value for option '--concurrency': " + workers + " (1 to 10000)");
    }
    if (top < 0) {
      throw usage("Invalid value for option '--top': " + top + " is negative");
    }
    try {
      Files.createDirectories(data);
    } catch (IOException e) {
      throw usage("cannot create the --data directory " + data + ": " + e.getMessage());
    }

    WordCountRun.Result r;
    try {
      r = WordCountRun.run(dir, db, data, workers, timeout);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    } catch (WordCountException | WordsDbException | StoreLockedException e) {
      throw CliFailure.failed(e.getMessage(), e);
    } catch (TimeoutException e) {
      throw CliFailure.failed(e.getMessage() + "; raise --timeout", e);
    }
    print(r, topWords(r));
    return r.failedFiles().isEmpty() ? ExitCode.OK : ExitCode.SOFTWARE;
  }

  private List<WordFrequency> topWords(WordCountRun.Result r) {
    if (top <= r.top().size()) {
      return r.top().subList(0, top);
    }
    try (WordCountReport report = WordCountReport.open(db)) {
      return report.top(top);
    }
  }

  private static final int MAX_FAILURES_SHOWN = 20;

  private void print(WordCountRun.Result r, List<WordFrequency> words) {
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        Locale.ROOT,
        "files           %,d counted, %,d failed%n",
        r.files() - r.failedFiles().size(),
        r.failedFiles().size());
    List<FileFailure> failed = r.failedFiles();
    for (FileFailure f : failed.subList(0, Math.min(failed.size(), MAX_FAILURES_SHOWN))) {
      // the error usually names the file already
      out.printf(
          "  failed  %s%n", f.error().contains(f.path()) ? f.error() : f.path() + ": " + f.error());
    }
    if (failed.size() > MAX_FAILURES_SHOWN) {
      out.printf(
          Locale.ROOT,
          "  … and %,d more failed files (SELECT path, error FROM files WHERE status = 'failed')%n",
          failed.size() - MAX_FAILURES_SHOWN);
    }
    out.printf(Locale.ROOT, "total words     %,d%n", r.totalWords());
    out.printf(Locale.ROOT, "distinct words  %,d%n", r.distinctWords());
    if (!words.isEmpty()) {
      out.printf("top %d words%n", words.size());
      int wordWidth = words.stream().mapToInt(w -> w.word().length()).max().orElse(0);
      int countWidth = String.format(Locale.ROOT, "%,d", words.get(0).count()).length();
      for (WordFrequency w : words) {
        out.printf(
            Locale.ROOT, "  %-" + wordWidth + "s  %," + countWidth + "d%n", w.word(), w.count());
      }
    }
    out.printf(Locale.ROOT, "elapsed         %.2f s%n", r.elapsed().toNanos() / 1e9);
    out.printf("words database  %s%n", db.toAbsolutePath().normalize());
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
