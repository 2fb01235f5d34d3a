package dev.library.book.core;

import dev.library.book.db.EventDao;
import dev.library.book.db.EventRow;
import dev.library.book.db.EventType;
import dev.library.runtime.api.ListPage;
import dev.library.runtime.api.PageRequest;
import dev.library.runtime.api.PageTokens;
import dev.library.runtime.api.Paging;
import dev.library.runtime.errors.FieldViolations;
import dev.library.runtime.errors.Ids;
import dev.library.runtime.security.Caller;
import dev.library.runtime.security.Role;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** Reading the append-only circulation history: a member their own, a librarian everyone's. */
public final class CirculationHistory {
  private final Jdbi jdbi;
  private final PageTokens pageTokens;

  public CirculationHistory(Jdbi jdbi, PageTokens pageTokens) {
    this.jdbi = jdbi;
    this.pageTokens = pageTokens;
  }

  /** What ListCirculationEvents asks for; {@code type} null when unknown, empty for any. */
  public record Query(
      String userId,
      String bookId,
      Optional<EventType> type,
      Optional<Instant> from,
      Optional<Instant> until,
      int page,
      int pageSize,
      String pageToken) {}

  public ListPage<EventRow> list(Caller caller, Query query) {
    FieldViolations violations = new FieldViolations();
    Optional<UUID> named = ActingMember.named(query.userId(), violations);
    Optional<UUID> book =
        query.bookId() == null || query.bookId().isEmpty()
            ? Optional.empty()
            : Optional.ofNullable(Ids.check("book_id", query.bookId(), violations));
    violations.check(query.type() == null, "type", "is not a known circulation event type");
    violations.check(
        query.from().isPresent() && query.until().isPresent() && query.from().get().isAfter(query.until().get()),
        "start_time",
        "is after end_time");
    Paging.of(query.page(), query.pageSize(), violations);
    violations.throwIfAny();
    Optional<UUID> member =
        named.isEmpty() && caller.hasRole(Role.LIBRARIAN)
            ? Optional.empty()
            : Optional.of(caller.actingFor(named));
    EventDao.Filter filter = new EventDao.Filter(member, book, query.type(), query.from(), query.until());
    PageRequest request =
        PageRequest.of(
            pageTokens,
            "ListCirculationEvents",
            filter.canonical(),
            query.page(),
            query.pageSize(),
            query.pageToken(),
            EventDao.ORDER.size(),
            violations);
    violations.throwIfAny();
    return jdbi.withHandle(h -> new EventDao(h).page(filter, request));
  }
}
