package dev.library.category.core;

import dev.library.category.db.CategoryRow;
import dev.library.category.db.ItemLinkDao;
import dev.library.category.db.ItemLinkDao.LinkChange;
import dev.library.category.db.ItemLinkDao.MatchingItems;
import dev.library.category.db.ItemRow;
import dev.library.category.db.UnknownCategoriesException;
import dev.library.runtime.api.Paging;
import dev.library.runtime.api.Texts;
import dev.library.runtime.errors.FieldViolations;
import dev.library.runtime.errors.IdLists;
import dev.library.runtime.errors.Ids;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The rules of links between items and categories. Items belong to other services (a book's id and
 * the type "book"); this service only knows the pairs it was given. Every change is all or nothing:
 * the whole request is checked, and any category that does not exist rejects it before a link is
 * written.
 */
public final class ItemLinks {
  public static final int MAX_ITEM_TYPE = 50;
  public static final int MAX_IDS = 100;

  private final ItemLinkDao dao;

  public ItemLinks(ItemLinkDao dao) {
    this.dao = dao;
  }

  /** Makes {@code categoryIds} the item's exact set of categories. */
  public LinkChange replace(String itemId, String itemType, List<String> categoryIds) {
    return change(itemId, itemType, categoryIds, false, dao::replace);
  }

  /** Adds the item to each of {@code categoryIds}, keeping its other categories. */
  public LinkChange add(String itemId, String itemType, List<String> categoryIds) {
    return change(itemId, itemType, categoryIds, true, dao::add);
  }

  /** A link write, as ItemLinkDao does it for one item. */
  private interface LinkWrite {
    LinkChange apply(String itemType, UUID itemId, Set<UUID> categoryIds);
  }

  /** Checks the request whole, then writes; an unknown category rejects it with nothing written. */
  private LinkChange change(
      String itemId,
      String itemType,
      List<String> categoryIds,
      boolean categoriesRequired,
      LinkWrite write) {
    FieldViolations violations = new FieldViolations();
    UUID item = Ids.check("item_id", itemId, violations);
    String type = Texts.required("item_type", itemType, MAX_ITEM_TYPE, violations);
    Set<UUID> wanted =
        IdLists.check("category_ids", categoryIds, MAX_IDS, categoriesRequired, violations);
    violations.throwIfAny();
    try {
      return write.apply(type, item, wanted);
    } catch (UnknownCategoriesException e) {
      throw unknown(categoryIds, e.missing());
    }
  }


  /** The item's categories by name; empty for an item with no links. */
  public List<CategoryRow> categoriesOf(String itemId, String itemType) {
    FieldViolations violations = new FieldViolations();
    UUID item = Ids.check("item_id", itemId, violations);
    String type = Texts.required("item_type", itemType, MAX_ITEM_TYPE, violations);
    violations.throwIfAny();
    return dao.categoriesOf(type, List.of(item)).getOrDefault(item, List.of());
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
    Map<UUID, List<CategoryRow>> found = dao.categoriesOf(type, items);
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
        dao.items(categories, onlyType, matchAll, paging.pageSize(), paging.offset());
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
