package dev.spindle.bench.peers;

import java.util.List;

/** Every system and configuration {@code spindle bench peers} knows, Spindle first. */
final class PeerSystems {
  private PeerSystems() {}

  static List<PeerSystem> all() {
    return List.of(
        new SpindleSystem(),
        DbScheduler.defaults(),
        DbScheduler.tuned(),
        JobRunrSystem.defaults(),
        JobRunrSystem.tuned(),
        new RawSqlCeiling());
  }

  static PeerSystem byId(String id) {
    return all().stream()
        .filter(s -> s.id().equals(id))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown system '"
                        + id
                        + "'; allowed: "
                        + String.join(", ", all().stream().map(PeerSystem::id).toList())));
  }
}
