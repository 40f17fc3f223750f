package dev.spindle.bench.peers;

/** The stores the peers run on. */
enum StoreKind {
  POSTGRES("postgres", "PostgreSQL"),
  SQLITE("sqlite", "SQLite");

  final String id;
  final String title;

  StoreKind(String id, String title) {
    this.id = id;
    this.title = title;
  }

  static StoreKind byId(String id) {
    for (StoreKind kind : values()) {
      if (kind.id.equals(id)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown store '" + id + "'; allowed: postgres, sqlite");
  }
}
