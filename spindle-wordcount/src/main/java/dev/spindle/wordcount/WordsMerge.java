package dev.spindle.wordcount;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One merge: files recorded as counted or failed, then the totals recomputed, all in one
 * transaction. Closing without {@link #commit()} rolls everything back.
 */
final class WordsMerge implements AutoCloseable {
  private final Path file;
  private final Connection connection;
  private final long taskId;
  private final Set<String> recorded = new HashSet<>();
  private final PreparedStatement upsertFile;
  private final PreparedStatement deleteWords;
  private final PreparedStatement insertWord;
  private final PreparedStatement insertFileWord;
  private final Map<String, Long> wordIds = new HashMap<>();
  private long maxWordId;
  private boolean committed;

  WordsMerge(Path file, Connection connection, long taskId) {
    this.file = file;
    this.connection = connection;
    this.taskId = taskId;
    try {
      connection.setAutoCommit(false);
      upsertFile = connection.prepareStatement(WordsSql.query("upsert_file"));
      deleteWords = connection.prepareStatement(WordsSql.query("delete_file_words"));
      insertWord = connection.prepareStatement(WordsSql.query("insert_word"));
      insertFileWord = connection.prepareStatement(WordsSql.query("insert_file_word"));
      try (Statement st = connection.createStatement();
          ResultSet rs = st.executeQuery(WordsSql.query("list_words"))) {
        while (rs.next()) {
          wordIds.put(rs.getString(2), rs.getLong(1));
          maxWordId = Math.max(maxWordId, rs.getLong(1));
        }
      }
    } catch (SQLException e) {
      throw failure("start writing", e);
    }
  }

  /** Replaces the counts of {@code count.path()}. */
  void counted(FileCount count) {
    try {
      long id = upsert(count.path(), "counted", count.words(), count.counts().size(), null);
      long[] ids = new long[count.counts().size()];
      long[] counts = new long[ids.length];
      int i = 0;
      for (Map.Entry<String, Long> e : count.counts().entrySet()) {
        ids[i] = wordId(e.getKey());
        counts[i++] = e.getValue();
      }
      insertWord.executeBatch();
      // Inserted in key order, the rows fill the file's range of the primary key front to back.
      for (int k : byId(ids)) {
        insertFileWord.setLong(1, id);
        insertFileWord.setLong(2, ids[k]);
        insertFileWord.setLong(3, counts[k]);
        insertFileWord.addBatch();
      }
      insertFileWord.executeBatch();
    } catch (SQLException e) {
      throw failure("write the counts of " + count.path(), e);
    }
  }

  /**
   * The id of {@code word}, numbering a new word with the next free id. Safe because the merge
   * holds the database's write lock from {@code BEGIN IMMEDIATE} on, after reading every word.
   */
  private long wordId(String word) throws SQLException {
    Long known = wordIds.get(word);
    if (known != null) {
      return known;
    }
    long id = ++maxWordId;
    insertWord.setLong(1, id);
    insertWord.setString(2, word);
    insertWord.addBatch(); // executed before the file's rows that refer to it
    wordIds.put(word, id);
    return id;
  }

  /** Positions of {@code ids} in ascending id order, without boxing. */
  private static int[] byId(long[] ids) {
    long[] keyed = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      // Word ids stay far below 2^31 and a file has far fewer than 2^32 distinct words.
      keyed[i] = (ids[i] << 32) | i;
    }
    Arrays.sort(keyed);
    int[] order = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      order[i] = (int) keyed[i];
    }
    return order;
  }

  /** Marks the file failed and drops its old counts: they no longer describe the file. */
  void failed(FileFailure failure) {
    try {
      upsert(failure.path(), "failed", 0, 0, failure.error());
    } catch (SQLException e) {
      throw failure("record the failure of " + failure.path(), e);
    }
  }

  private long upsert(String path, String status, long words, int distinct, String error)
      throws SQLException {
    recorded.add(path);
    upsertFile.setString(1, path);
    upsertFile.setString(2, status);
    upsertFile.setLong(3, words);
    upsertFile.setInt(4, distinct);
    upsertFile.setString(5, error);
    upsertFile.setLong(6, taskId);
    long id;
    try (ResultSet rs = upsertFile.executeQuery()) {
      rs.next();
      id = rs.getLong(1);
    }
    deleteWords.setLong(1, id);
    deleteWords.executeUpdate();
    return id;
  }

  /** Removes files under {@code root} that this merge did not record: they are gone. */
  int pruneUnder(Path root) {
    try (Statement st = connection.createStatement();
        PreparedStatement deleteFile = connection.prepareStatement(WordsSql.query("delete_file"))) {
      List<Long> gone = new ArrayList<>();
      try (ResultSet rs = st.executeQuery(WordsSql.query("list_files"))) {
        while (rs.next()) {
          String path = rs.getString(2);
          if (!recorded.contains(path) && Path.of(path).startsWith(root)) {
            gone.add(rs.getLong(1));
          }
        }
      }
      for (long id : gone) {
        deleteWords.setLong(1, id);
        deleteWords.executeUpdate();
        deleteFile.setLong(1, id);
        deleteFile.executeUpdate();
      }
      return gone.size();
    } catch (SQLException e) {
      throw failure("remove the rows of files no longer under " + root, e);
    }
  }

  /** Recomputes the totals from the per-file rows and commits. */
  void commit() {
    try (Statement st = connection.createStatement()) {
      st.executeUpdate(WordsSql.query("clear_totals"));
      st.executeUpdate(WordsSql.query("compute_totals"));
      connection.commit();
      committed = true;
    } catch (SQLException e) {
      throw failure("commit", e);
    }
  }

  @Override
  public void close() {
    try {
      upsertFile.close();
      deleteWords.close();
      insertWord.close();
      insertFileWord.close();
      if (!committed) {
        connection.rollback();
      }
    } catch (SQLException e) {
      throw failure("roll back", e);
    }
  }

  private WordsDbException failure(String what, SQLException e) {
    return new WordsDbException(
        "could not " + what + " in words database " + file + ": " + e.getMessage(), e);
  }
}
