package dev.library.book.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox as an operator watches it: {@code library.outbox.backlog} (entries not yet
 * delivered) and {@code library.outbox.oldest.age} (seconds the oldest of them has waited; 0 when
 * none). Read from the table when scraped, at most once a second, so several scrapers cost one
 * query; a scrape while the database is down shows the last values read.
 */
public final class OutboxBacklog {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxBacklog.class);
  private static final Duration FRESH = Duration.ofSeconds(1);

  private record Snapshot(long entries, double oldestAgeSeconds, Instant readAt) {}

  private final Jdbi jdbi;
  private final Clock clock;
  private volatile Snapshot last = new Snapshot(0, 0, Instant.EPOCH);

  public OutboxBacklog(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  public void register(MeterRegistry meters) {
    Gauge.builder("library.outbox.backlog", this, b -> b.snapshot().entries())
        .description("Category-link outbox entries not yet delivered")
        // Nothing else holds this object: a weak reference would be collected and read NaN.
        .strongReference(true)
        .register(meters);
    Gauge.builder("library.outbox.oldest.age", this, b -> b.snapshot().oldestAgeSeconds())
        .description("How long the oldest undelivered outbox entry has waited")
        .baseUnit("seconds")
        .strongReference(true)
        .register(meters);
  }

  private synchronized Snapshot snapshot() {
    Instant now = clock.instant();
    if (Duration.between(last.readAt(), now).compareTo(FRESH) < 0) {
      return last;
    }
    try {
      last =
          jdbi.withHandle(
              handle ->
                  handle
                      .createQuery(
                          "SELECT count(*) AS entries, "
                              + "coalesce(extract(epoch FROM now() - min(created_at)), 0) AS age "
                              + "FROM category_link_outbox")
                      .map((rs, ctx) -> new Snapshot(rs.getLong("entries"), rs.getDouble("age"), now))
                      .one());
    } catch (RuntimeException e) {
      LOG.debug("outbox backlog not read: {}", e.toString());
    }
    return last;
  }
}
