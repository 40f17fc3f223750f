package dev.spindle.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BenchDatabaseTest {
  @Test
  void aRunsDatabaseReplacesOnlyTheDatabaseOfTheUrl() {
    assertThat(
            BenchDatabase.withDatabase(
                "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&ssl=false", "spindle_peers_1"))
        .isEqualTo("jdbc:postgresql://127.0.0.1:5432/spindle_peers_1?user=postgres&ssl=false");
    assertThat(BenchDatabase.withDatabase("jdbc:postgresql://db.example:6432/app", "run"))
        .isEqualTo("jdbc:postgresql://db.example:6432/run");
    assertThat(BenchDatabase.databaseOf("jdbc:postgresql://h/spindle_peers_2?user=x"))
        .isEqualTo("spindle_peers_2");
    assertThat(BenchDatabase.databaseOf("jdbc:postgresql://h:5432/app")).isEqualTo("app");
  }
}
