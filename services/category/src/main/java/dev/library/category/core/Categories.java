package dev.library.category.core;

import dev.library.category.db.CategoryDao;
import dev.library.category.db.CategoryRow;
import dev.library.runtime.api.Lookup;
import dev.library.runtime.api.NamePageRequest;
import dev.library.runtime.api.ListPage;
import dev.library.runtime.api.PageTokens;
import dev.library.runtime.db.SqlErrors;
import dev.library.runtime.errors.AlreadyExistsException;
import dev.library.runtime.errors.NotFoundException;
import dev.library.runtime.errors.FieldViolations;
import dev.library.runtime.errors.IdLists;
import dev.library.runtime.errors.Ids;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/** The category catalog's rules, between the gRPC API and the table. */
public final class Categories {
  public static final int MAX_BATCH = 100;

  private final Jdbi jdbi;
  private final PageTokens pageTokens;

  /** Each operation takes one connection for all its statements (CategoryDao on its handle). */
  public Categories(Jdbi jdbi, PageTokens pageTokens) {
    this.jdbi = jdbi;
    this.pageTokens = pageTokens;
  }

  public CategoryRow create(String name, String description) {
    FieldViolations violations = new FieldViolations();
    CategoryFields fields = CategoryFields.check(name, description, violations);
    violations.throwIfAny();
    return uniqueName(
        fields,
        () ->
            jdbi.withHandle(
                h -> new CategoryDao(h).insert(UUID.randomUUID(), fields.name(), fields.description())));
  }

  public CategoryRow get(String id) {
    UUID categoryId = Ids.parse("id", id);
    return jdbi.withHandle(h -> new CategoryDao(h).find(categoryId)).orElseThrow(Categories::notFound);
  }

  public CategoryRow update(String id, String name, String description) {
    FieldViolations violations = new FieldViolations();
    UUID categoryId = Ids.check("id", id, violations);
    CategoryFields fields = CategoryFields.check(name, description, violations);
    violations.throwIfAny();
    return uniqueName(
            fields,
            () ->
                jdbi.withHandle(
                    h -> new CategoryDao(h).update(categoryId, fields.name(), fields.description())))
        .orElseThrow(Categories::notFound);
  }

  /** Deletes the category and, with it, every item's link to it. */
  public void delete(String id) {
    UUID categoryId = Ids.parse("id", id);
    if (!jdbi.withHandle(h -> new CategoryDao(h).delete(categoryId))) {
      throw notFound();
    }
  }

  /** A page in name order, and the (bounded) number of matching categories. */
  public ListPage<CategoryRow> list(int page, int pageSize, String pageToken, String nameQuery) {
    NamePageRequest request =
        NamePageRequest.of(
            pageTokens,
            "ListCategories",
            page,
            pageSize,
            pageToken,
            nameQuery,
            CategoryFields.MAX_NAME);
    return jdbi.withHandle(h -> new CategoryDao(h).page(request));
  }

  /** The categories of {@code ids} in request order (first occurrence), and the ids not found. */
  public Lookup<CategoryRow> batchGet(List<String> ids) {
    FieldViolations violations = new FieldViolations();
    Set<UUID> wanted = IdLists.check("ids", ids, MAX_BATCH, false, violations);
    violations.throwIfAny();
    return Lookup.inRequestOrder(
        wanted, jdbi.withHandle(h -> new CategoryDao(h).findAll(wanted)), CategoryRow::id);
  }

  /** Runs a write that sets the name; the unique index's verdict becomes ALREADY_EXISTS. */
  private static <T> T uniqueName(CategoryFields fields, Supplier<T> write) {
    try {
      return write.get();
    } catch (JdbiException e) {
      if (SqlErrors.isUniqueViolation(e) && CategoryDao.NAME_KEY.equals(SqlErrors.constraint(e))) {
        throw new AlreadyExistsException(
            "CATEGORY_NAME_TAKEN",
            "a category named \""
                + fields.name()
                + "\" already exists (names are compared "
                + "case-insensitively)");
      }
      throw e;
    }
  }

  private static RuntimeException notFound() {
    return new NotFoundException("CATEGORY_NOT_FOUND", "category not found");
  }

}
