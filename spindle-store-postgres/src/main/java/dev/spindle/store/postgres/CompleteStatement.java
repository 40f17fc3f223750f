package dev.spindle.store.postgres;

import dev.spindle.core.store.Outcome;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Applies a batch of attempt outcomes with one statement ({@code complete}), each fenced on {@code
 * state = 'RUNNING' AND lease_token = ?}. Final outcomes move their task to the history table.
 *
 * <p>Outcomes go in sorted by id: the statement finds each row's outcome by binary search, and two
 * batches touching the same tasks (a completion and a heartbeat) lock them in the same order. A
 * caller that lists one task twice in a call gets an unspecified winner.
 */
final class CompleteStatement {
  private final NamedSql sql;

  CompleteStatement(PostgresQueries queries) {
    this.sql = queries.get("complete");
  }

  /** Returns the ids whose outcome was refused because the lease was no longer held. */
  List<Long> complete(Connection c, List<Outcome> outcomes) throws SQLException {
    List<Outcome> sorted = new ArrayList<>(outcomes);
    sorted.sort(Comparator.comparingLong(Outcome::id));
    int n = sorted.size();
    long[] ids = new long[n];
    long[] tokens = new long[n];
    String[] kinds = new String[n];
    String[] results = new String[n];
    String[] errors = new String[n];
    long[] ats = new long[n];
    for (int i = 0; i < n; i++) {
      Outcome o = sorted.get(i);
      ids[i] = o.id();
      tokens[i] = o.leaseToken();
      switch (o) {
        case Outcome.Succeeded s -> {
          kinds[i] = "SUCCEEDED";
          results[i] = s.resultJson();
          ats[i] = s.at().toEpochMilli();
        }
        case Outcome.Retry r -> {
          kinds[i] = "RETRY";
          errors[i] = r.error();
          ats[i] = r.runAt().toEpochMilli();
        }
        case Outcome.Dead d -> {
          kinds[i] = "DEAD";
          errors[i] = d.error();
          ats[i] = d.at().toEpochMilli();
        }
        case Outcome.Cancelled x -> {
          kinds[i] = "CANCELLED";
          ats[i] = x.at().toEpochMilli();
        }
        case Outcome.Released r -> {
          kinds[i] = "RELEASED";
          ats[i] = r.runAt().toEpochMilli();
        }
      }
    }
    Set<Long> applied = new HashSet<>();
    try (NamedSql.Bound st = sql.prepare(c)) {
      st.set("ids", ids)
          .set("tokens", tokens)
          .set("kinds", kinds)
          .set("results", results)
          .set("errors", errors)
          .set("ats", ats);
      try (ResultSet rs = st.statement().executeQuery()) {
        while (rs.next()) {
          applied.add(rs.getLong(1));
        }
      }
    }
    List<Long> fenced = new ArrayList<>();
    for (Outcome o : outcomes) {
      if (!applied.contains(o.id())) {
        fenced.add(o.id());
      }
    }
    return fenced;
  }
}
