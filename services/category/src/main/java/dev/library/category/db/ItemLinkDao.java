package dev.library.category.db;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * The item_categories table (which items belong to which categories), on the caller's handle.
 * The rule of a link change (lock the item, lock the categories, write the difference) is
 * ItemLinks'; these are its statements.
 */
public final class ItemLinkDao {
  /** UUIDs in PostgreSQL's uuid order (unsigned bytes), which is the order of their text. */
  public static final Comparator<UUID> ID_ORDER = Comparator.comparing(UUID::toString);

  private final Handle handle;

  public ItemLinkDao(Handle handle) {
    this.handle = handle;
  }

  /** What a change left: all the item's categories, those added and those removed, by id. */
  public record LinkChange(
      UUID itemId, List<UUID> categoryIds, List<UUID> added, List<UUID> removed) {}

  /** Serializes changes of one item until the transaction ends. */
  public void lockItem(String itemType, UUID itemId) {
    // The uuid text has a fixed length at the end, so the key is unambiguous whatever the type.
    handle
        .createQuery("SELECT true FROM pg_advisory_xact_lock(hashtextextended(:key, 0))")
        .bind("key", itemType + "/" + itemId)
        .mapTo(Boolean.class)
        .one();
  }

  /** The ids of the item's categories. */
  public Set<UUID> linkedCategories(String itemType, UUID itemId) {
    return new HashSet<>(
        handle
            .createQuery(
                "SELECT category_id FROM item_categories "
                    + "WHERE item_type = :itemType AND item_id = :itemId")
            .bind("itemType", itemType)
            .bind("itemId", itemId)
            .mapTo(UUID.class)
            .list());
  }

  /** Removes the item's links to {@code ids}; the ids that were linked. */
  public List<UUID> unlink(String itemType, UUID itemId, Set<UUID> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return handle
        .createQuery(
            "DELETE FROM item_categories WHERE item_type = :itemType AND item_id = :itemId "
                + "AND category_id = ANY(:ids) RETURNING category_id")
        .bind("itemType", itemType)
        .bind("itemId", itemId)
        .bind("ids", ids.toArray(UUID[]::new))
        .mapTo(UUID.class)
        .list();
  }

  /** Links the item to {@code ids}; the ids that were not linked before. */
  public List<UUID> link(String itemType, UUID itemId, Set<UUID> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return handle
        .createQuery(
            "INSERT INTO item_categories (item_type, item_id, category_id) "
                + "SELECT :itemType, :itemId, unnest(:ids) "
                + "ON CONFLICT DO NOTHING RETURNING category_id")
        .bind("itemType", itemType)
        .bind("itemId", itemId)
        .bind("ids", ids.toArray(UUID[]::new))
        .mapTo(UUID.class)
        .list();
  }

  /**
   * The categories of each of {@code itemIds} (all of {@code itemType}), ordered by name and then
   * id; items without links are absent from the map. One statement for any number of items, so the
   * single and the batch lookup give the same answer.
   */
  public Map<UUID, List<CategoryRow>> categoriesOf(String itemType, Collection<UUID> itemIds) {
    Map<UUID, List<CategoryRow>> out = new LinkedHashMap<>();
    if (itemIds.isEmpty()) {
      return out;
    }
    List<Map.Entry<UUID, CategoryRow>> links =
        handle
            .createQuery(
                "SELECT l.item_id AS link_item_id, c.* FROM item_categories l "
                    + "JOIN categories c ON c.id = l.category_id "
                    + "WHERE l.item_type = :itemType AND l.item_id = ANY(:itemIds) "
                    + "ORDER BY l.item_id, lower(c.name), c.id")
            .bind("itemType", itemType)
            .bind("itemIds", itemIds.toArray(UUID[]::new))
            .map(
                (rs, ctx) ->
                    Map.entry(rs.getObject("link_item_id", UUID.class), CategoryDao.map(rs, ctx)))
            .list();
    for (Map.Entry<UUID, CategoryRow> link : links) {
      out.computeIfAbsent(link.getKey(), k -> new ArrayList<>()).add(link.getValue());
    }
    return out;
  }

  /** One page of matching items, and how many match in all. */
  public record MatchingItems(List<ItemRow> page, int total) {}

  /**
   * One page of the distinct items in any (or, with {@code matchAll}, every one) of {@code
   * categoryIds}, ordered by item type and id, optionally only items of one type; and the total.
   * One statement, so page and total come from one snapshot.
   *
   * <p>The matching items are collected first, through the category index, and only then sorted and
   * counted ({@code MATERIALIZED}). Left to itself the planner may instead walk the primary key in
   * item order and test every link against the categories, hoping to fill the page early: quick for
   * a first page of a popular category, but a walk over the whole table when few items match (see
   * the migration). Collecting first bounds the cost by the number of links of the requested
   * categories, which the total needs to read anyway.
   *
   * <p>Grouping collapses an item in several of the categories into one row; with match_all it must
   * be in as many of them as were asked for (the primary key makes each link count once, and the
   * ids are distinct), so a category that does not exist matches nothing. The count row comes back
   * even when the page is past the end (then with a null item).
   */
  public MatchingItems items(
      Set<UUID> categoryIds, Optional<String> itemType, boolean matchAll, int limit, long offset) {
    String sql =
        "WITH matching AS MATERIALIZED ("
            + "SELECT item_type, item_id FROM item_categories"
            + " WHERE category_id = ANY(:categoryIds)"
            + (itemType.isPresent() ? " AND item_type = :itemType" : "")
            + " GROUP BY item_type, item_id"
            + (matchAll ? " HAVING count(*) = :wanted" : "")
            + ") SELECT total.n AS total, page.item_type, page.item_id"
            + " FROM (SELECT count(*) AS n FROM matching) total"
            + " LEFT JOIN LATERAL (SELECT item_type, item_id FROM matching"
            + " ORDER BY item_type, item_id LIMIT :limit OFFSET :offset) page ON true"
            + " ORDER BY page.item_type, page.item_id";
    record Row(int total, ItemRow item) {}
    Query query =
        handle
            .createQuery(sql)
            .bind("categoryIds", categoryIds.toArray(UUID[]::new))
            .bind("limit", limit)
            .bind("offset", offset);
    if (matchAll) {
      query.bind("wanted", categoryIds.size());
    }
    itemType.ifPresent(type -> query.bind("itemType", type));
    List<Row> rows =
        query
            .map(
                (rs, ctx) -> {
                  UUID itemId = rs.getObject("item_id", UUID.class);
                  return new Row(
                      rs.getInt("total"),
                      itemId == null ? null : new ItemRow(rs.getString("item_type"), itemId));
                })
            .list();
    List<ItemRow> page = rows.stream().map(Row::item).filter(Objects::nonNull).toList();
    return new MatchingItems(page, rows.isEmpty() ? 0 : rows.get(0).total());
  }
}
