package dev.spindle.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Each queue is announced at once, then at most once per window, never left unannounced. */
class QueueAnnouncerTest {
  private final List<Set<String>> trailing = new CopyOnWriteArrayList<>();

  @Test
  void theFirstEnqueueOfAQueueIsAnnouncedWithIt() {
    try (QueueAnnouncer announcer = new QueueAnnouncer(trailing::add)) {
      assertThat(announcer.admit(List.of("a", "b"))).containsExactly("a", "b");
      assertThat(announcer.admit(List.of())).isEmpty();
    }
  }

  @Test
  void enqueuesInsideTheWindowAreAnnouncedOnceAtItsEnd() throws Exception {
    try (QueueAnnouncer announcer = new QueueAnnouncer(trailing::add)) {
      assertThat(announcer.admit(List.of("a"))).containsExactly("a");
      for (int i = 0; i < 50; i++) {
        assertThat(announcer.admit(List.of("a"))).isEmpty();
      }
      assertThat(announcer.admit(List.of("b"))).as("another queue has its own window").hasSize(1);

      Wait.until("the trailing announcement", Duration.ofSeconds(2), () -> !trailing.isEmpty());
      Thread.sleep(50);
      assertThat(trailing).containsExactly(Set.of("a"));
    }
  }

  @Test
  void afterTheWindowAQueueIsAnnouncedAtOnceAgain() throws Exception {
    try (QueueAnnouncer announcer = new QueueAnnouncer(trailing::add)) {
      announcer.admit(List.of("a"));
      Thread.sleep(Duration.ofNanos(QueueAnnouncer.WINDOW_NANOS * 2));

      assertThat(announcer.admit(List.of("a"))).containsExactly("a");
      assertThat(trailing).isEmpty();
    }
  }
}
