package dev.library.book;

import static org.assertj.core.api.Assertions.assertThat;

import dev.library.book.db.EventDao;
import dev.library.book.db.HoldDao;
import dev.library.runtime.api.PageRequest;
import dev.library.runtime.api.PageTokens;
import dev.library.runtime.db.Keyset;
import dev.library.runtime.errors.FieldViolations;
import dev.library.runtime.testing.LibrarySystem;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pages after the first of ListHolds (a member's holds, a book's queue) and of
 * ListCirculationEvents (everyone's, a member's, a book's) seek into an index on their keyset
 * instead of sorting the matching rows: with 200,000 holds and 300,000 events, PostgreSQL uses an
 * index whenever one serves the order.
 */
class HoldAndEventQueryPlanTest {
  private static final UUID BOOK = UUID.fromString("00000000-0000-0000-0000-000000000007");
  private static final UUID MEMBER = UUID.fromString("00000000-0000-0000-0001-000000000007");
  private static final PageTokens TOKENS = new PageTokens(new byte[32]);

  private static LibrarySystem system;
  private static Jdbi jdbi;

  @BeforeAll
  static void load() throws Exception {
    system = LibrarySystem.start("book");
    try (Connection db = system.connect("book");
        Statement sql = db.createStatement()) {
      sql.execute(
          "INSERT INTO books (id, title, author_id, author_name, isbn, publication_year, publisher, "
              + "total_copies, available_copies, category_ids) "
              + "SELECT ('00000000-0000-0000-0000-' || lpad(i::text, 12, '0'))::uuid, 'Title ' || i, "
              + "gen_random_uuid(), 'Author', (9780000000000 + i)::text, 2000, 'Publisher', 1, 0, "
              + "ARRAY[]::uuid[] FROM generate_series(1, 2000) i");
      // 2,000 books with 100 holds each, 5,000 members with 40 each; a few open per book.
      sql.execute(
          "INSERT INTO holds (id, book_id, user_id, status, placed_at, closed_at) "
              + "SELECT gen_random_uuid(), ('00000000-0000-0000-0000-' || lpad((1 + i % 2000)::text, 12, '0'))::uuid, "
              + "('00000000-0000-0000-0001-' || lpad((i % 5000)::text, 12, '0'))::uuid, "
              + "CASE WHEN i > 190000 THEN 'WAITING' ELSE 'CANCELLED' END, now() - i * interval '1 second', "
              + "CASE WHEN i > 190000 THEN NULL ELSE now() END FROM generate_series(1, 200000) i");
      sql.execute(
          "INSERT INTO circulation_events (type, occurred_at, user_id, book_id) "
              + "SELECT 'HOLD_PLACED', now() - i * interval '1 second', "
              + "('00000000-0000-0000-0001-' || lpad((i % 5000)::text, 12, '0'))::uuid, "
              + "('00000000-0000-0000-0000-' || lpad((1 + i % 2000)::text, 12, '0'))::uuid "
              + "FROM generate_series(1, 300000) i");
      sql.execute("ANALYZE");
    }
    var database = system.application().host().database("book");
    jdbi = Jdbi.create(database.getUrl(), database.getUser(), database.getPassword());
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  @Test
  void aBooksQueueSeeksIntoTheQueueIndex() {
    HoldDao.Filter queue = new HoldDao.Filter(Optional.empty(), Optional.of(BOOK), true);
    assertThat(holdsPlan(queue)).contains("holds_book_queue_idx").contains("Index Cond: ((book_id = ").contains("ROW(");
  }

  @Test
  void aMembersHoldsSeekIntoTheMemberIndex() {
    HoldDao.Filter member = new HoldDao.Filter(Optional.of(MEMBER), Optional.empty(), true);
    assertThat(holdsPlan(member)).contains("holds_user_idx").contains("Index Cond: ((user_id = ").contains("ROW(");
  }

  @Test
  void eventsSeekIntoTheTimeMemberOrBookIndex() {
    assertThat(eventsPlan(Optional.empty(), Optional.empty()))
        .contains("circulation_events_time_idx")
        .contains("Index Cond: (ROW(");
    assertThat(eventsPlan(Optional.of(MEMBER), Optional.empty()))
        .contains("circulation_events_user_idx")
        .contains("ROW(");
    assertThat(eventsPlan(Optional.empty(), Optional.of(BOOK)))
        .contains("circulation_events_book_idx")
        .contains("ROW(");
  }

  private static String holdsPlan(HoldDao.Filter filter) {
    return jdbi.withHandle(
        h -> {
          HoldDao holds = new HoldDao(h);
          String token = holds.page(filter, firstPage(filter.order())).nextPageToken();
          return holds.explainPage(filter, next(filter.order(), token));
        });
  }

  private static String eventsPlan(Optional<UUID> member, Optional<UUID> book) {
    EventDao.Filter filter = new EventDao.Filter(member, book, Optional.empty(), Optional.empty(), Optional.empty());
    return jdbi.withHandle(
        h -> {
          EventDao events = new EventDao(h);
          String token = events.page(filter, firstPage(EventDao.ORDER)).nextPageToken();
          return events.explainPage(filter, next(EventDao.ORDER, token));
        });
  }

  private static PageRequest firstPage(Keyset order) {
    return next(order, "");
  }

  private static PageRequest next(Keyset order, String token) {
    PageRequest request = PageRequest.of(TOKENS, "plan", "", 0, 20, token, order.size(), new FieldViolations());
    assertThat(token.isEmpty() || request.byToken()).isTrue();
    return request;
  }
}
