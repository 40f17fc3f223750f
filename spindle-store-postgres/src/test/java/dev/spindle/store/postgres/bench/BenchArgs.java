package dev.spindle.store.postgres.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value} arguments of the benchmark mains, with defaults. */
final class BenchArgs {
  private final Map<String, String> values = new HashMap<>();

  BenchArgs(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException(
            "arguments are --name value pairs; '" + args[i] + "' is not followed by a value");
      }
      values.put(args[i].substring(2), args[++i]);
    }
  }

  String get(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  int getInt(String name, int fallback) {
    return Integer.parseInt(get(name, Integer.toString(fallback)).replace("_", ""));
  }

  /** The database: --url, else SPINDLE_TEST_PG_URL, else the local test database. */
  String url() {
    return get(
        "url",
        System.getenv()
            .getOrDefault(
                "SPINDLE_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"));
  }
}
