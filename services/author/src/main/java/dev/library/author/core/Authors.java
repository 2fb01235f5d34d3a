package dev.library.author.core;

import dev.library.author.db.AuthorDao;
import dev.library.author.db.AuthorRow;
import dev.library.runtime.api.Lookup;
import dev.library.runtime.api.NamePageRequest;
import dev.library.runtime.api.ListPage;
import dev.library.runtime.api.PageTokens;
import dev.library.runtime.api.Texts;
import dev.library.runtime.errors.NotFoundException;
import dev.library.runtime.errors.FieldViolations;
import dev.library.runtime.errors.IdLists;
import dev.library.runtime.errors.Ids;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** The author catalog's rules, between the gRPC API and the table. */
public final class Authors {
  public static final int MAX_BATCH = 100;
  public static final int MAX_SEARCH_LIMIT = 1000;

  private final Jdbi jdbi;
  private final Clock clock;
  private final PageTokens pageTokens;

  /** Each operation takes one connection for all its statements (AuthorDao on its handle). */
  public Authors(Jdbi jdbi, Clock clock, PageTokens pageTokens) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.pageTokens = pageTokens;
  }

  public AuthorRow create(String name, String biography, String birthDate) {
    FieldViolations violations = new FieldViolations();
    AuthorFields fields = AuthorFields.check(name, biography, birthDate, clock, violations);
    violations.throwIfAny();
    return jdbi.withHandle(
        h ->
            new AuthorDao(h)
                .insert(UUID.randomUUID(), fields.name(), fields.biography(), fields.birthDate()));
  }

  public AuthorRow get(String id) {
    UUID authorId = Ids.parse("id", id);
    return jdbi.withHandle(h -> new AuthorDao(h).find(authorId)).orElseThrow(Authors::notFound);
  }

  public AuthorRow update(String id, String name, String biography, String birthDate) {
    FieldViolations violations = new FieldViolations();
    UUID authorId = Ids.check("id", id, violations);
    AuthorFields fields = AuthorFields.check(name, biography, birthDate, clock, violations);
    violations.throwIfAny();
    return jdbi.withHandle(
            h ->
                new AuthorDao(h)
                    .update(authorId, fields.name(), fields.biography(), fields.birthDate()))
        .orElseThrow(Authors::notFound);
  }

  public void delete(UUID id) {
    if (!jdbi.withHandle(h -> new AuthorDao(h).delete(id))) {
      throw notFound();
    }
  }

  /** A page in name order, and the (bounded) number of matching authors. */
  public ListPage<AuthorRow> list(int page, int pageSize, String pageToken, String nameQuery) {
    NamePageRequest request =
        NamePageRequest.of(
            pageTokens, "ListAuthors", page, pageSize, pageToken, nameQuery, AuthorFields.MAX_NAME);
    return jdbi.withHandle(h -> new AuthorDao(h).page(request));
  }

  /** The authors of {@code ids} in request order (first occurrence), and the ids not found. */
  public Lookup<AuthorRow> batchGet(List<String> ids) {
    FieldViolations violations = new FieldViolations();
    Set<UUID> wanted = IdLists.check("ids", ids, MAX_BATCH, false, violations);
    violations.throwIfAny();
    return Lookup.inRequestOrder(
        wanted, jdbi.withHandle(h -> new AuthorDao(h).findAll(wanted)), AuthorRow::id);
  }

  /** Ids of authors whose name contains the query; {@code truncated} when more matched. */
  public Search searchIds(String nameQuery, int limit) {
    FieldViolations violations = new FieldViolations();
    String query = Texts.required("name_query", nameQuery, AuthorFields.MAX_NAME, violations);
    violations.check(
        limit < 0 || limit > MAX_SEARCH_LIMIT,
        "limit",
        "must be between 1 and " + MAX_SEARCH_LIMIT + " (0 means " + MAX_SEARCH_LIMIT + ")");
    violations.throwIfAny();
    int effective = limit == 0 ? MAX_SEARCH_LIMIT : limit;
    String pattern = Texts.containsPattern(query);
    List<UUID> ids = jdbi.withHandle(h -> new AuthorDao(h).idsMatching(pattern, effective + 1));
    boolean truncated = ids.size() > effective;
    return new Search(truncated ? ids.subList(0, effective) : ids, truncated);
  }

  private static RuntimeException notFound() {
    return new NotFoundException("AUTHOR_NOT_FOUND", "author not found");
  }

  /** Result of a name search. */
  public record Search(List<UUID> ids, boolean truncated) {}
}
