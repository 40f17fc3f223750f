package dev.spindle.wordcount;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.sqlite.SQLiteConfig;

/**
 * Reads a words database written by the word-count pipeline.
 *
 * <pre>{@code
 * try (WordCountReport report = WordCountReport.open(Path.of("words.db"))) {
 *   System.out.println(report.totalWords() + " words");
 *   report.top(10).forEach(w -> System.out.println(w.count() + "  " + w.word()));
 * }
 * }</pre>
 */
public final class WordCountReport implements AutoCloseable {
  private final Path file;
  private final Connection connection;

  private WordCountReport(Path file, Connection connection) {
    this.file = file;
    this.connection = connection;
  }

  /**
   * Opens {@code db} read-only.
   *
   * @throws WordsDbException if it does not exist
   * @throws NotAWordsDbException if it is not a words database
   */
  public static WordCountReport open(Path db) {
    Path p = db.toAbsolutePath().normalize();
    if (!Files.isRegularFile(p)) {
      throw new WordsDbException(
          "words database " + p + " does not exist; run spindle wordcount to create it");
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setBusyTimeout(30_000);
    WordCountReport report = new WordCountReport(p, WordsDb.connect(p, config));
    try {
      report.fileCount();
    } catch (WordsDbException e) {
      report.close();
      throw new NotAWordsDbException(
          p + " is not a words database written by spindle wordcount: " + e.getMessage(), e);
    }
    return report;
  }

  /** Every word occurrence over all counted files. */
  public long totalWords() {
    return totals()[0];
  }

  /** Distinct (lower-cased) words over all counted files. */
  public long distinctWords() {
    return totals()[1];
  }

  private long[] totals() {
    try (PreparedStatement st = connection.prepareStatement(WordsSql.query("totals"));
        ResultSet rs = st.executeQuery()) {
      return new long[] {rs.getLong(1), rs.getLong(2)};
    } catch (SQLException e) {
      throw failure("read the totals", e);
    }
  }

  /** The {@code n} most frequent words, most frequent first, ties in word order. */
  public List<WordFrequency> top(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n must not be negative, was " + n);
    }
    try (PreparedStatement st = connection.prepareStatement(WordsSql.query("top_words"))) {
      st.setInt(1, n);
      List<WordFrequency> out = new ArrayList<>(Math.min(n, 1024));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(new WordFrequency(rs.getString(1), rs.getLong(2)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failure("read the top words", e);
    }
  }

  /** Occurrences of {@code word} (lower-cased) over all counted files, if it occurs at all. */
  public OptionalLong count(String word) {
    try (PreparedStatement st = connection.prepareStatement(WordsSql.query("word_total"))) {
      st.setString(1, word);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
      }
    } catch (SQLException e) {
      throw failure("read the count of a word", e);
    }
  }

  /** Files whose latest count succeeded. */
  public long fileCount() {
    try (PreparedStatement st = connection.prepareStatement(WordsSql.query("counted_files"));
        ResultSet rs = st.executeQuery()) {
      return rs.getLong(1);
    } catch (SQLException e) {
      throw failure("count the files", e);
    }
  }

  /** Files whose latest count failed, by path. */
  public List<FileFailure> failedFiles() {
    try (PreparedStatement st = connection.prepareStatement(WordsSql.query("failed_files"));
        ResultSet rs = st.executeQuery()) {
      List<FileFailure> out = new ArrayList<>();
      while (rs.next()) {
        out.add(new FileFailure(rs.getString(1), rs.getString(2)));
      }
      return out;
    } catch (SQLException e) {
      throw failure("list the failed files", e);
    }
  }

  /** The word counts of one file (its absolute path), empty if it was not counted. */
  public Map<String, Long> countsOf(Path path) {
    try (PreparedStatement st = connection.prepareStatement(WordsSql.query("file_words_by_path"))) {
      st.setString(1, path.toAbsolutePath().normalize().toString());
      Map<String, Long> out = new HashMap<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getLong(2));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failure("read the counts of " + path, e);
    }
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      // nothing left to do with a connection that fails to close
    }
  }

  private WordsDbException failure(String what, SQLException e) {
    return new WordsDbException(
        "could not " + what + " from words database " + file + ": " + e.getMessage(), e);
  }
}
