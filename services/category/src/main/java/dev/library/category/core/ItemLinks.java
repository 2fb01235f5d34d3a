package dev.library.category.core;

import dev.library.category.db.CategoryDao;
import dev.library.category.db.CategoryRow;
import dev.library.category.db.ItemLinkDao;
import dev.library.category.db.ItemLinkDao.LinkChange;
import dev.library.category.db.ItemLinkDao.MatchingItems;
import dev.library.category.db.ItemRow;
import dev.library.runtime.api.Paging;
import dev.library.runtime.api.Texts;
import dev.library.runtime.errors.FieldViolations;
import dev.library.runtime.errors.IdLists;
import dev.library.runtime.db.SqlErrors;
import dev.library.runtime.errors.Ids;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * The rules of links between items and categories. Items belong to other services (a book's id and
 * the type "book"); this service only knows the pairs it was given. Every change is all or nothing:
 * the whole request is checked, and any category that does not exist rejects it before a link is
 * written.
 *
 * <p>A change of one item's links is one transaction on one connection: an advisory lock on the
 * item first, so two changes of the same item queue rather than interleave; then the named
 * categories locked {@code FOR KEY SHARE}, so none can be deleted between the check that it exists
 * and the insert of its link; then what to add and remove, computed from the links read under the
 * lock.
 */
public final class ItemLinks {
  public static final int MAX_ITEM_TYPE = 50;
  public static final int MAX_IDS = 100;

  private final Jdbi jdbi;

  public ItemLinks(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Makes {@code categoryIds} the item's exact set of categories. */
  public LinkChange replace(String itemId, String itemType, List<String> categoryIds) {
    return change(itemId, itemType, categoryIds, false, true);
  }

  /** Adds the item to each of {@code categoryIds}, keeping its other categories. */
  public LinkChange add(String itemId, String itemType, List<String> categoryIds) {
    return change(itemId, itemType, categoryIds, true, false);
  }

  /** Checks the request whole, then writes; an unknown category rejects it with nothing written. */
  private LinkChange change(
      String itemId,
      String itemType,
      List<String> categoryIds,
      boolean categoriesRequired,
      boolean replace) {
    FieldViolations violations = new FieldViolations();
    UUID item = Ids.check("item_id", itemId, violations);
    String type = Texts.required("item_type", itemType, MAX_ITEM_TYPE, violations);
    Set<UUID> wanted =
        IdLists.check("category_ids", categoryIds, MAX_IDS, categoriesRequired, violations);
    violations.throwIfAny();
    try {
      return jdbi.inTransaction(h -> write(h, type, item, wanted, replace, categoryIds));
    } catch (JdbiException e) {
      // Not expected while the categories are locked, but a missing category must never
      // surface as INTERNAL: report whichever of them is gone now.
      if (SqlErrors.isForeignKeyViolation(e)) {
        Set<UUID> missing = new LinkedHashSet<>(wanted);
        missing.removeAll(jdbi.withHandle(h -> new CategoryDao(h).existing(wanted)));
        throw unknown(categoryIds, missing);
      }
      throw e;
    }
  }

  private static LinkChange write(
      Handle h,
      String type,
      UUID item,
      Set<UUID> wanted,
      boolean replace,
      List<String> categoryIds) {
    ItemLinkDao links = new ItemLinkDao(h);
    links.lockItem(type, item);
    Set<UUID> missing = new LinkedHashSet<>(wanted);
    missing.removeAll(new CategoryDao(h).lockExisting(wanted));
    if (!missing.isEmpty()) {
      // Thrown inside the transaction: it rolls back, and nothing was written anyway.
      throw unknown(categoryIds, missing);
    }
    Set<UUID> current = links.linkedCategories(type, item);
    List<UUID> removed = replace ? links.unlink(type, item, minus(current, wanted)) : List.of();
    List<UUID> added = links.link(type, item, minus(wanted, current));
    Set<UUID> now = new HashSet<>(current);
    now.removeAll(removed);
    now.addAll(added);
    return new LinkChange(item, sorted(now), sorted(added), sorted(removed));
  }

  private static Set<UUID> minus(Set<UUID> from, Set<UUID> remove) {
    Set<UUID> out = new HashSet<>(from);
    out.removeAll(remove);
    return out;
  }

  private static List<UUID> sorted(Collection<UUID> ids) {
    return ids.stream().sorted(ItemLinkDao.ID_ORDER).toList();
  }


  /** The item's categories by name; empty for an item with no links. */
  public List<CategoryRow> categoriesOf(String itemId, String itemType) {
    FieldViolations violations = new FieldViolations();
    UUID item = Ids.check("item_id", itemId, violations);
    String type = Texts.required("item_type", itemType, MAX_ITEM_TYPE, violations);
    violations.throwIfAny();
    return jdbi.withHandle(h -> new ItemLinkDao(h).categoriesOf(type, List.of(item)))
        .getOrDefault(item, List.of());
  }

  /**
   * The categories of each distinct item of {@code itemIds}, in request order (first occurrence):
   * each entry is what {@link #categoriesOf} answers for that item.
   */
  public List<ItemCategories> batchCategoriesOf(String itemType, List<String> itemIds) {
    FieldViolations violations = new FieldViolations();
    String type = Texts.required("item_type", itemType, MAX_ITEM_TYPE, violations);
    Set<UUID> items = IdLists.check("item_ids", itemIds, MAX_IDS, false, violations);
    violations.throwIfAny();
    Map<UUID, List<CategoryRow>> found =
        jdbi.withHandle(h -> new ItemLinkDao(h).categoriesOf(type, items));
    List<ItemCategories> out = new ArrayList<>();
    for (UUID item : items) {
      out.add(new ItemCategories(item, found.getOrDefault(item, List.of())));
    }
    return out;
  }

  /** A page of the items in any (or every) one of the categories, and how many match. */
  public ItemsPage items(
      List<String> categoryIds, String itemType, boolean matchAll, int page, int pageSize) {
    FieldViolations violations = new FieldViolations();
    Set<UUID> categories = IdLists.check("category_ids", categoryIds, MAX_IDS, true, violations);
    String type = Texts.optional("item_type", itemType, MAX_ITEM_TYPE, violations);
    Paging paging = Paging.of(page, pageSize, violations);
    violations.throwIfAny();
    Optional<String> onlyType = type.isEmpty() ? Optional.empty() : Optional.of(type);
    MatchingItems matching =
        jdbi.withHandle(
            h ->
                new ItemLinkDao(h)
                    .items(categories, onlyType, matchAll, paging.pageSize(), paging.offset()));
    return new ItemsPage(matching.page(), matching.total(), paging);
  }

  /** INVALID_ARGUMENT naming each missing category id at its first position in the request. */
  private static RuntimeException unknown(List<String> categoryIds, Set<UUID> missing) {
    FieldViolations violations = new FieldViolations();
    Set<UUID> named = new HashSet<>();
    for (int i = 0; i < categoryIds.size(); i++) {
      UUID id = UUID.fromString(categoryIds.get(i)); // every one was checked to be a UUID
      if (missing.contains(id) && named.add(id)) {
        violations.add("category_ids[" + i + "]", "names no category (" + id + ")");
      }
    }
    violations.check(
        violations.isEmpty(), "category_ids", "names a category that no longer exists");
    return violations.toException();
  }

  /** One item's categories. */
  public record ItemCategories(UUID itemId, List<CategoryRow> categories) {}

  /** One page of items. */
  public record ItemsPage(List<ItemRow> items, int total, Paging paging) {}
}
