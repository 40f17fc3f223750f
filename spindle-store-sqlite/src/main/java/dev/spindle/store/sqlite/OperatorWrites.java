package dev.spindle.store.sqlite;

import dev.spindle.core.store.CancelResult;
import dev.spindle.core.store.RetryResult;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Cancel and retry by hand, one result per id in input order. */
final class OperatorWrites {
  private OperatorWrites() {}

  static WriteOp<List<CancelResult>> cancel(List<Long> ids, Instant now) {
    return session -> {
      List<CancelResult> results = new ArrayList<>(ids.size());
      for (long id : ids) {
        results.add(cancelOne(session, id, TaskRows.millis(now)));
      }
      return results;
    };
  }

  private static CancelResult cancelOne(WriterSession session, long id, long now)
      throws SQLException {
    PreparedStatement waiting = session.statement("cancel_waiting");
    waiting.setLong(1, now);
    waiting.setLong(2, id);
    if (waiting.executeUpdate() == 1) {
      session.finished().add(id, now);
      return CancelResult.CANCELLED;
    }
    PreparedStatement running = session.statement("request_cancel");
    running.setLong(1, id);
    if (running.executeUpdate() == 1) {
      return CancelResult.CANCEL_REQUESTED;
    }
    return stateOf(session, id) == null ? CancelResult.NOT_FOUND : CancelResult.ALREADY_FINISHED;
  }

  static WriteOp<List<RetryResult>> retry(List<Long> ids, Instant now) {
    return session -> {
      List<RetryResult> results = new ArrayList<>(ids.size());
      PreparedStatement retry = session.statement("retry");
      for (long id : ids) {
        retry.setLong(1, TaskRows.millis(now));
        retry.setLong(2, id);
        if (retry.executeUpdate() == 1) {
          results.add(RetryResult.REQUEUED);
        } else {
          results.add(
              stateOf(session, id) == null ? RetryResult.NOT_FOUND : RetryResult.NOT_RETRYABLE);
        }
      }
      return results;
    };
  }

  private static String stateOf(WriterSession session, long id) throws SQLException {
    PreparedStatement ps = session.statement("state_of");
    ps.setLong(1, id);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
    }
  }
}
