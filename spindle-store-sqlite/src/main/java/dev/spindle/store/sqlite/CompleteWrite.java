package dev.spindle.store.sqlite;

import dev.spindle.core.store.Outcome;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies attempt outcomes, each fenced on {@code state = 'RUNNING' AND lease_token = ?}.
 *
 * <p>Outcomes are batched per kind (one native batch per statement instead of a round of JNI calls
 * per row); a caller that lists one task twice in a call gets an unspecified winner.
 */
final class CompleteWrite implements WriteOp<List<Long>> {
  private final List<Outcome> outcomes;

  CompleteWrite(List<Outcome> outcomes) {
    this.outcomes = outcomes;
  }

  @Override
  public List<Long> apply(WriterSession session) throws SQLException {
    List<Long> fenced = new ArrayList<>();
    runKind(session, "complete_succeeded", Outcome.Succeeded.class, fenced);
    runKind(session, "complete_retry", Outcome.Retry.class, fenced);
    runKind(session, "complete_dead", Outcome.Dead.class, fenced);
    runKind(session, "complete_cancelled", Outcome.Cancelled.class, fenced);
    runKind(session, "complete_released", Outcome.Released.class, fenced);
    return fenced;
  }

  private <T extends Outcome> void runKind(
      WriterSession session, String query, Class<T> kind, List<Long> fenced) throws SQLException {
    List<Outcome> ofKind = new ArrayList<>();
    for (Outcome outcome : outcomes) {
      if (kind.isInstance(outcome)) {
        ofKind.add(outcome);
      }
    }
    if (ofKind.isEmpty()) {
      return;
    }
    PreparedStatement ps = session.statement(query);
    ps.clearBatch();
    for (Outcome outcome : ofKind) {
      bind(ps, outcome);
      ps.addBatch();
    }
    int[] counts = WriterSession.executeBatch(ps);
    for (int i = 0; i < counts.length; i++) {
      Outcome outcome = ofKind.get(i);
      if (counts[i] == 0) {
        fenced.add(outcome.id());
      } else {
        session.leases().ended(outcome.id(), outcome.leaseToken());
        switch (outcome) {
          case Outcome.Succeeded done ->
              session.finished().add(done.id(), TaskRows.millis(done.at()));
          case Outcome.Cancelled done ->
              session.finished().add(done.id(), TaskRows.millis(done.at()));
          default -> {
            // DEAD stays for inspection, READY runs again: neither is purged.
          }
        }
      }
    }
  }

  private static void bind(PreparedStatement ps, Outcome outcome) throws SQLException {
    switch (outcome) {
      case Outcome.Succeeded s -> {
        ps.setString(1, s.resultJson());
        ps.setLong(2, TaskRows.millis(s.at()));
        ps.setLong(3, s.id());
        ps.setLong(4, s.leaseToken());
      }
      case Outcome.Retry r -> {
        ps.setString(1, r.error());
        ps.setLong(2, TaskRows.millis(r.runAt()));
        ps.setLong(3, r.id());
        ps.setLong(4, r.leaseToken());
      }
      case Outcome.Dead d -> {
        ps.setString(1, d.error());
        ps.setLong(2, TaskRows.millis(d.at()));
        ps.setLong(3, d.id());
        ps.setLong(4, d.leaseToken());
      }
      case Outcome.Cancelled c -> {
        ps.setLong(1, TaskRows.millis(c.at()));
        ps.setLong(2, c.id());
        ps.setLong(3, c.leaseToken());
      }
      case Outcome.Released r -> {
        ps.setLong(1, TaskRows.millis(r.runAt()));
        ps.setLong(2, r.id());
        ps.setLong(3, r.leaseToken());
      }
    }
  }
}
