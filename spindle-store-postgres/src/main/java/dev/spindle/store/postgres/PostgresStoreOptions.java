package dev.spindle.store.postgres;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Where a PostgreSQL store lives and how it talks to it. Give either a URL (the store then runs its
 * own connection pool) or a {@link DataSource} of yours (the store borrows from it and never closes
 * it).
 *
 * @param jdbcUrl the database, in pgjdbc form (a {@code postgresql://} URL given to the builder is
 *     converted)
 * @param dataSource the caller's connections, used instead of a URL
 * @param schema the schema that holds the store's tables; created if missing. Stores in different
 *     schemas of one database are independent
 * @param poolSize connections of the store's own pool (URL only). Besides these the store keeps one
 *     connection to listen for new tasks (if any engine subscribed) and one to hold the maintenance
 *     lock (once maintenance ran)
 * @param maxClaimBatch most tasks one claim statement leases, whatever the engine asks for
 * @param notifications whether enqueues NOTIFY and the store can LISTEN, so idle nodes wake within
 *     milliseconds; turn off behind a pooler in transaction mode (PgBouncer), where LISTEN does not
 *     work: nodes then find new tasks by polling
 * @param connectTimeout how long to wait for a connection, from the server or from the pool
 * @param enqueueWriters how many enqueues of single submits run at once (see {@link
 *     EnqueueCoalescer}); each carries every submit that queued meanwhile. One by default: on the
 *     2-core build machine one writer gave p50/p99 submit-to-start latency of 6.5/48 ms at 2,000
 *     submits/s where five gave 11/100 ms, since fewer, larger commits share the WAL flushes and
 *     cost fewer statements. More help only a database with cores to spare for many producers
 */
public record PostgresStoreOptions(
    Optional<String> jdbcUrl,
    Optional<DataSource> dataSource,
    String schema,
    int poolSize,
    int maxClaimBatch,
    boolean notifications,
    Duration connectTimeout,
    int enqueueWriters) {

  public static final String DEFAULT_SCHEMA = "spindle";

  public PostgresStoreOptions {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    if (jdbcUrl.isPresent() == dataSource.isPresent()) {
      throw new IllegalArgumentException(
          jdbcUrl.isPresent()
              ? "give a PostgreSQL store either a url or a dataSource, not both"
              : "a PostgreSQL store needs a url (postgresql://user@host:5432/db) or a dataSource");
    }
    jdbcUrl = jdbcUrl.map(PostgresUrls::toJdbc);
    String problem = StoreSchema.problem(schema);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    if (poolSize < 1 || poolSize > 1000) {
      throw new IllegalArgumentException("poolSize must be between 1 and 1000, was " + poolSize);
    }
    if (maxClaimBatch < 1 || maxClaimBatch > 10_000) {
      throw new IllegalArgumentException(
          "maxClaimBatch must be between 1 and 10000, was " + maxClaimBatch);
    }
    if (enqueueWriters < 1 || enqueueWriters > poolSize) {
      throw new IllegalArgumentException(
          "enqueueWriters must be between 1 and poolSize ("
              + poolSize
              + "), was "
              + enqueueWriters);
    }
    if (connectTimeout.toMillis() < 250 || connectTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException(
          "connectTimeout must be between 250 ms and 10 minutes, was " + connectTimeout);
    }
  }

  /** Options for the database at {@code url}, every other setting at its default. */
  public static PostgresStoreOptions forUrl(String url) {
    return builder().url(url).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b =
        new Builder()
            .schema(schema)
            .poolSize(poolSize)
            .maxClaimBatch(maxClaimBatch)
            .notifications(notifications)
            .connectTimeout(connectTimeout)
            .enqueueWriters(enqueueWriters);
    jdbcUrl.ifPresent(b::url);
    dataSource.ifPresent(b::dataSource);
    return b;
  }

  /** The database as shown in messages: the URL without its password, or the DataSource. */
  public String describe() {
    return jdbcUrl.map(PostgresUrls::redact).orElseGet(() -> "DataSource " + dataSource.get());
  }

  /** Builds options; every setting starts at its default. */
  public static final class Builder {
    private String url;
    private DataSource dataSource;
    private String schema = DEFAULT_SCHEMA;
    private int poolSize = 10;
    private int maxClaimBatch = 1000;
    private boolean notifications = true;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private int enqueueWriters = 1;

    private Builder() {}

    /** {@code jdbc:postgresql://host:5432/db?user=u} or {@code postgresql://u@host:5432/db}. */
    public Builder url(String url) {
      this.url = url;
      return this;
    }

    public Builder dataSource(DataSource dataSource) {
      this.dataSource = dataSource;
      return this;
    }

    public Builder schema(String schema) {
      this.schema = schema;
      return this;
    }

    public Builder poolSize(int poolSize) {
      this.poolSize = poolSize;
      return this;
    }

    public Builder maxClaimBatch(int maxClaimBatch) {
      this.maxClaimBatch = maxClaimBatch;
      return this;
    }

    public Builder notifications(boolean notifications) {
      this.notifications = notifications;
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    public Builder enqueueWriters(int enqueueWriters) {
      this.enqueueWriters = enqueueWriters;
      return this;
    }

    public PostgresStoreOptions build() {
      return new PostgresStoreOptions(
          Optional.ofNullable(url),
          Optional.ofNullable(dataSource),
          schema,
          poolSize,
          maxClaimBatch,
          notifications,
          connectTimeout,
          enqueueWriters);
    }
  }
}
