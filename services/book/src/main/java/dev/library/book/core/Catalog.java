package dev.library.book.core;

import dev.library.book.db.BookDao;
import dev.library.book.db.BookRow;
import dev.library.book.db.BookValues;
import dev.library.book.db.LoanDao;
import dev.library.book.db.OutboxDao;
import dev.library.book.outbox.CategoryLinkRelay;
import dev.library.runtime.db.SqlErrors;
import dev.library.runtime.errors.AlreadyExistsException;
import dev.library.runtime.errors.NotFoundException;
import dev.library.runtime.errors.FieldViolations;
import dev.library.runtime.errors.Ids;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creating, changing and deleting books. Each write commits the book and, when its categories
 * change, an outbox entry in one transaction; the entry is then delivered at once if the
 * Category service answers, else by the relay later.
 */
public final class Catalog {
  private static final Logger LOG = LoggerFactory.getLogger(Catalog.class);

  private final Jdbi jdbi;
  private final References references;
  private final CategoryLinkRelay relay;
  private final HoldQueue queue;
  private final Clock clock;

  public Catalog(
      Jdbi jdbi,
      AuthorCatalog authors,
      CategoryCatalog categories,
      CategoryLinkRelay relay,
      HoldQueue queue,
      Clock clock) {
    this.jdbi = jdbi;
    this.references = new References(authors, categories);
    this.relay = relay;
    this.queue = queue;
    this.clock = clock;
  }

  public BookRow create(BookFields.Input input) {
    FieldViolations violations = new FieldViolations();
    BookFields fields = BookFields.check(input, clock, violations);
    violations.throwIfAny();
    References.Checked checked = references.check(fields);
    String authorName = checked.authorName();
    UUID id = UUID.randomUUID();
    Written written =
        uniqueIsbn(
            () ->
                jdbi.inTransaction(
                    h -> {
                      BookRow row = new BookDao(h).insert(id, values(fields, authorName));
                      Optional<Long> entry =
                          fields.categoryIds().isEmpty()
                              ? Optional.empty()
                              : Optional.of(new OutboxDao(h).enqueue(id, fields.categoryIds()));
                      return new Written(row, entry);
                    }));
    deliverIfAnswering(written, checked);
    return written.row();
  }

  public BookRow update(String id, BookFields.Input input) {
    FieldViolations violations = new FieldViolations();
    UUID bookId = Ids.check("id", id, violations);
    BookFields fields = BookFields.check(input, clock, violations);
    violations.throwIfAny();
    References.Checked checked = references.check(fields);
    String authorName = checked.authorName();
    Written written =
        uniqueIsbn(
            () ->
                jdbi.inTransaction(
                    h -> {
                      BookDao books = new BookDao(h);
                      BookRow before = books.findForUpdate(bookId).orElseThrow(Catalog::notFound);
                      int onLoan = new LoanDao(h).activeCountFor(bookId);
                      int held = before.heldCopies();
                      if (fields.totalCopies() < onLoan + held) {
                        throw Refusal.COPIES_ON_LOAN.because(
                            "total_copies cannot be lower than the "
                                + onLoan
                                + " copies on loan and "
                                + held
                                + " kept for ready holds now",
                            java.util.Map.of(
                                "copies_on_loan", Integer.toString(onLoan),
                                "copies_held", Integer.toString(held)));
                      }
                      // Free copies go to the waiting holds first (a copy added to a book
                      // members queue for is theirs, in queue order), the rest to the shelf.
                      books.update(bookId, values(fields, authorName), 0);
                      queue.release(
                          h, bookId, fields.totalCopies() - onLoan - held, 0,
                          clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
                      BookRow row = books.find(bookId).orElseThrow();
                      boolean linksChanged =
                          !new HashSet<>(before.categoryIds())
                              .equals(new HashSet<>(fields.categoryIds()));
                      Optional<Long> entry =
                          linksChanged
                              ? Optional.of(new OutboxDao(h).enqueue(bookId, fields.categoryIds()))
                              : Optional.empty();
                      return new Written(row, entry);
                    }));
    deliverIfAnswering(written, checked);
    return written.row();
  }

  /** Deletes the book and its returned loans; its category links follow through the outbox. */
  public void delete(String id) {
    UUID bookId = Ids.parse("id", id);
    Optional<Long> entry =
        jdbi.inTransaction(
            h -> {
              BookDao books = new BookDao(h);
              BookRow book = books.findForUpdate(bookId).orElseThrow(Catalog::notFound);
              LoanDao loans = new LoanDao(h);
              int onLoan = loans.activeCountFor(bookId);
              if (onLoan > 0) {
                throw Refusal.COPIES_ON_LOAN.because(
                    onLoan + " copies are on loan; they must be returned before the book is deleted",
                    java.util.Map.of("copies_on_loan", Integer.toString(onLoan)));
              }
              loans.deleteReturnedOf(bookId);
              books.delete(bookId);
              return book.categoryIds().isEmpty()
                  ? Optional.<Long>empty()
                  : Optional.of(new OutboxDao(h).enqueue(bookId, List.of()));
            });
    entry.ifPresent(this::deliverQuietly);
  }

  public BookRow get(String id) {
    UUID bookId = Ids.parse("id", id);
    return jdbi.withHandle(h -> new BookDao(h).find(bookId)).orElseThrow(Catalog::notFound);
  }

  public int countByAuthor(String authorId) {
    UUID author = Ids.parse("author_id", authorId);
    return jdbi.withHandle(h -> new BookDao(h).countByAuthor(author));
  }

  static NotFoundException notFound() {
    return new NotFoundException("BOOK_NOT_FOUND", "book not found");
  }

  private static BookValues values(BookFields fields, String authorName) {
    return new BookValues(
        fields.title(),
        fields.authorId(),
        authorName,
        fields.isbn(),
        fields.publicationYear(),
        fields.publisher(),
        fields.description(),
        fields.totalCopies(),
        fields.categoryIds());
  }

  /**
   * Delivers the links at once, unless the Category service just failed to answer the check:
   * a second call would only wait out another deadline. The relay delivers them when it is back.
   */
  private void deliverIfAnswering(Written written, References.Checked checked) {
    if (checked.categoryServiceAnswered()) {
      written.outboxEntry().ifPresent(this::deliverQuietly);
    }
  }

  /** The write is committed either way; a failed delivery is the relay's to retry. */
  private void deliverQuietly(long entry) {
    try {
      relay.deliverNow(entry);
    } catch (RuntimeException e) {
      LOG.warn("immediate delivery of outbox entry {} failed; the relay will retry", entry, e);
    }
  }

  private static <T> T uniqueIsbn(java.util.function.Supplier<T> write) {
    try {
      return write.get();
    } catch (RuntimeException e) {
      if (SqlErrors.isUniqueViolation(e)) {
        throw new AlreadyExistsException("ISBN_TAKEN", "another book has this ISBN");
      }
      throw e;
    }
  }

  private record Written(BookRow row, Optional<Long> outboxEntry) {}
}
