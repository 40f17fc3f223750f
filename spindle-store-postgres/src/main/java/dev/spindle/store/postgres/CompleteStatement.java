package dev.spindle.store.postgres;

import dev.spindle.core.store.Outcome;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Applies a batch of attempt outcomes with one statement ({@code complete}), each fenced on {@code
 * state = 'RUNNING' AND lease_token = ?}. Final outcomes move their task to the history table.
 *
 * <p>Outcomes go in sorted by id, final ones and requeued ones apart: the statement finds each
 * row's outcome by binary search, and two batches touching the same tasks (a completion and a
 * heartbeat) lock them in the same order. A caller that lists one task twice in a call gets an
 * unspecified winner.
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
    Part finals = new Part(sorted.size());
    Part requeues = new Part(0);
    for (Outcome o : sorted) {
      switch (o) {
        case Outcome.Succeeded s -> finals.add(s, "SUCCEEDED", s.resultJson(), null, s.at());
        case Outcome.Dead d -> finals.add(d, "DEAD", null, d.error(), d.at());
        case Outcome.Cancelled x -> finals.add(x, "CANCELLED", null, null, x.at());
        case Outcome.Retry r -> requeues.add(r, "RETRY", null, r.error(), r.runAt());
        case Outcome.Released r -> requeues.add(r, "RELEASED", null, null, r.runAt());
      }
    }
    Set<Long> applied = new HashSet<>();
    try (NamedSql.Bound st = sql.prepare(c)) {
      st.set("ids", finals.ids())
          .set("tokens", finals.tokens())
          .set("kinds", finals.kinds.toArray(String[]::new))
          .set("results", finals.results.toArray(String[]::new))
          .set("errors", finals.errors.toArray(String[]::new))
          .set("ats", finals.ats())
          .set("requeue_ids", requeues.ids())
          .set("requeue_tokens", requeues.tokens())
          .set("requeue_released", requeues.released())
          .set("requeue_errors", requeues.errors.toArray(String[]::new))
          .set("requeue_ats", requeues.ats());
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

  /** The parameter arrays of one part of the statement, in id order. */
  private static final class Part {
    final List<Outcome> outcomes;
    final List<String> kinds;
    final List<String> results;
    final List<String> errors;
    final List<Instant> ats;

    Part(int capacity) {
      outcomes = new ArrayList<>(capacity);
      kinds = new ArrayList<>(capacity);
      results = new ArrayList<>(capacity);
      errors = new ArrayList<>(capacity);
      ats = new ArrayList<>(capacity);
    }

    void add(Outcome outcome, String kind, String result, String error, Instant at) {
      outcomes.add(outcome);
      kinds.add(kind);
      results.add(result);
      errors.add(error);
      ats.add(at);
    }

    long[] ids() {
      return outcomes.stream().mapToLong(Outcome::id).toArray();
    }

    long[] tokens() {
      return outcomes.stream().mapToLong(Outcome::leaseToken).toArray();
    }

    long[] ats() {
      return ats.stream().mapToLong(Instant::toEpochMilli).toArray();
    }

    boolean[] released() {
      boolean[] released = new boolean[kinds.size()];
      for (int i = 0; i < released.length; i++) {
        released[i] = kinds.get(i).equals("RELEASED");
      }
      return released;
    }
  }
}
