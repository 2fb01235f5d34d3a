package dev.library.category.api;

import static dev.library.runtime.grpc.Replies.timestamp;

import dev.library.category.db.CategoryRow;
import dev.library.category.db.ItemRow;
import dev.library.category.v1.Category;
import dev.library.category.v1.Item;
import java.util.List;
import java.util.UUID;

/** Rows to API messages. */
final class CategoryMessages {
  private CategoryMessages() {}

  static Category toProto(CategoryRow row) {
    return Category.newBuilder()
        .setId(row.id().toString())
        .setName(row.name())
        .setDescription(row.description())
        .setCreatedAt(timestamp(row.createdAt()))
        .setUpdatedAt(timestamp(row.updatedAt()))
        .build();
  }

  static List<Category> toProto(List<CategoryRow> rows) {
    return rows.stream().map(CategoryMessages::toProto).toList();
  }

  static Item toProto(ItemRow row) {
    return Item.newBuilder().setItemId(row.itemId().toString()).setItemType(row.itemType()).build();
  }

  static List<String> ids(List<UUID> ids) {
    return ids.stream().map(UUID::toString).toList();
  }
}
