package dev.spindle.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The writer's lease table may nominate too many rescue candidates, never too few: a lease leaves
 * it only once the transaction that ended it committed, and only under the token that ended it.
 */
class LeaseTableTest {
  final LeaseTable leases = new LeaseTable();

  @Test
  void endedLeaseIsForgottenOnlyWhenItsTransactionCommits() {
    leases.granted(1, 10, 1_000);
    leases.ended(1, 10);
    assertThat(leases.expiredBefore(2_000, 10))
        .extracting(LeaseTable.Lease::id)
        .containsExactly(1L);

    leases.rolledBack();
    leases.committed();
    assertThat(leases.size()).as("the rolled-back end is not applied later").isEqualTo(1);

    leases.ended(1, 10);
    leases.committed();
    assertThat(leases.size()).isZero();
  }

  @Test
  void opRolledBackToItsSavepointKeepsTheLeasesItEnded() {
    leases.granted(1, 10, 1_000);
    leases.granted(2, 10, 1_000);
    leases.ended(1, 10);
    int mark = leases.mark();
    leases.ended(2, 10);
    leases.rollBackTo(mark);
    leases.committed();

    assertThat(leases.expiredBefore(2_000, 10))
        .extracting(LeaseTable.Lease::id)
        .containsExactly(2L);
  }

  @Test
  void endOfAnEarlierAttemptDoesNotForgetTheLeaseOfALaterOne() {
    leases.granted(1, 10, 1_000);
    leases.ended(1, 10);
    // Retried and claimed again in the same transaction, under a new token.
    leases.granted(1, 11, 5_000);
    leases.committed();
    leases.forget(1, 10);

    assertThat(leases.expiredBefore(6_000, 10))
        .singleElement()
        .isEqualTo(new LeaseTable.Lease(1, 11, 5_000));
  }

  @Test
  void candidatesComeEarliestExpiryFirstUpToTheLimit() {
    leases.granted(1, 10, 3_000);
    leases.granted(2, 10, 1_000);
    leases.granted(3, 10, 2_000);
    leases.granted(4, 10, 9_000);

    assertThat(leases.expiredBefore(5_000, 2))
        .extracting(LeaseTable.Lease::id)
        .containsExactly(2L, 3L);
    assertThat(leases.expiredBefore(1_000, 10)).as("expiry must be before now").isEmpty();
  }
}
