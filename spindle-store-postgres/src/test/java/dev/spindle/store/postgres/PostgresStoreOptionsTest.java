package dev.spindle.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.store.StoreException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** URLs in either form, options validated with messages that say what to change. */
class PostgresStoreOptionsTest {

  @Test
  void jdbcUrlsAreTakenAsTheyAre() {
    assertThat(PostgresUrls.toJdbc("jdbc:postgresql://db:5432/app?user=ann"))
        .isEqualTo("jdbc:postgresql://db:5432/app?user=ann");
  }

  @Test
  void libpqUrlsBecomeJdbcUrlsWithUserAndPasswordAsParameters() {
    assertThat(
            PostgresUrls.toJdbc("postgresql://ann:s%40cr%2Bt@db.example:6543/app?sslmode=require"))
        .isEqualTo(
            "jdbc:postgresql://db.example:6543/app?sslmode=require&user=ann&password=s%40cr%2Bt");
    assertThat(PostgresUrls.toJdbc("postgres://ann@db/app"))
        .isEqualTo("jdbc:postgresql://db/app?user=ann");
    assertThat(PostgresUrls.toJdbc("postgresql://h1:5432,h2:5433/app"))
        .isEqualTo("jdbc:postgresql://h1:5432,h2:5433/app");
  }

  @Test
  void urlsSpindleCannotUseAreRefusedNamingTheProblem() {
    assertThatThrownBy(() -> PostgresUrls.toJdbc("mysql://ann:pw@db/app"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must start with jdbc:postgresql://, postgresql:// or postgres://")
        .hasMessageNotContaining("pw@");
    assertThatThrownBy(() -> PostgresUrls.toJdbc("postgresql://ann@/app"))
        .hasMessageContaining("names no host");
    assertThatThrownBy(() -> PostgresUrls.toJdbc(" "))
        .hasMessageContaining("empty")
        .hasMessageContaining("postgresql://user@host:5432/db");
    assertThatThrownBy(() -> PostgresUrls.toJdbc("jdbc:postgresql:app"))
        .hasMessageContaining("must name a host");
  }

  @Test
  void enqueueWritersOutsideOneToPoolSizeAreRefused() {
    PostgresStoreOptions.Builder b = PostgresStoreOptions.builder().url("postgresql://db/app");
    assertThat(b.build().enqueueWriters()).isEqualTo(1);
    assertThat(b.poolSize(4).enqueueWriters(4).build().enqueueWriters()).isEqualTo(4);
    assertThatThrownBy(() -> b.poolSize(4).enqueueWriters(5).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("enqueueWriters must be between 1 and poolSize (4), was 5");
    assertThatThrownBy(() -> b.enqueueWriters(0).build())
        .hasMessageContaining("enqueueWriters must be between 1 and poolSize");
  }

  @Test
  void passwordsNeverAppearInMessages() {
    assertThat(PostgresUrls.redact("jdbc:postgresql://db/app?user=ann&password=hunter2&ssl=true"))
        .isEqualTo("jdbc:postgresql://db/app?user=ann&password=***&ssl=true");
    assertThat(PostgresUrls.redact("postgresql://ann:hunter2@db/app"))
        .isEqualTo("postgresql://ann:***@db/app");
    assertThat(PostgresStoreOptions.forUrl("postgresql://ann:hunter2@db/app").describe())
        .isEqualTo("jdbc:postgresql://db/app?user=ann&password=***");
  }

  @Test
  void anUnreachableServerIsReportedWithItsUrlButNotItsPassword() {
    PostgresStoreOptions options =
        PostgresStoreOptions.builder()
            .url("postgresql://ann:hunter2@127.0.0.1:1/app")
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    assertThatThrownBy(() -> PostgresTaskStore.open(options))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(
            "could not connect to PostgreSQL at jdbc:postgresql://127.0.0.1:1/app")
        .hasMessageContaining("password=***")
        .hasMessageContaining("check that the server runs")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void aStoreNeedsExactlyOneOfUrlAndDataSource() {
    assertThatThrownBy(() -> PostgresStoreOptions.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs a url")
        .hasMessageContaining("or a dataSource");
    assertThatThrownBy(
            () ->
                PostgresStoreOptions.builder()
                    .url("postgresql://db/app")
                    .dataSource(new org.postgresql.ds.PGSimpleDataSource())
                    .build())
        .hasMessageContaining("either a url or a dataSource, not both");
  }

  @Test
  void sizesAndTimeoutsOutOfRangeAreRefused() {
    PostgresStoreOptions.Builder b = PostgresStoreOptions.builder().url("postgresql://db/app");
    assertThatThrownBy(() -> b.poolSize(0).build())
        .hasMessage("poolSize must be between 1 and 1000, was 0");
    assertThatThrownBy(() -> b.poolSize(4).maxClaimBatch(0).build())
        .hasMessage("maxClaimBatch must be between 1 and 10000, was 0");
    assertThatThrownBy(() -> b.maxClaimBatch(10).connectTimeout(Duration.ofMillis(10)).build())
        .hasMessageContaining("connectTimeout must be between 250 ms and 10 minutes");
  }

  @Test
  void defaultsSuitAServiceNode() {
    PostgresStoreOptions o = PostgresStoreOptions.forUrl("postgresql://db/app");

    assertThat(o.schema()).isEqualTo("spindle");
    assertThat(o.poolSize()).isEqualTo(10);
    assertThat(o.notifications()).isTrue();
    assertThat(o.toBuilder().build()).isEqualTo(o);
  }
}
