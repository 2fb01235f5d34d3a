package dev.library.book.client;

import dev.library.category.v1.BatchGetCategoriesRequest;
import dev.library.category.v1.BatchGetCategoriesResponse;
import dev.library.category.v1.BatchGetItemCategoriesRequest;
import dev.library.category.v1.Category;
import dev.library.category.v1.CategoryServiceGrpc;
import dev.library.category.v1.UpdateItemCategoriesRequest;
import dev.library.runtime.grpc.Downstream;
import io.grpc.Channel;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** What the Book service asks of, and tells, the Category service. */
public class CategoryDirectory {
  public static final String ITEM_TYPE = "book";
  private static final String SERVICE = "category";
  private static final long DEADLINE_MS = 5_000;

  private final CategoryServiceGrpc.CategoryServiceBlockingStub categories;

  public CategoryDirectory(Channel channel) {
    this.categories = CategoryServiceGrpc.newBlockingStub(channel);
  }

  /** The categories of these ids that exist (at most 100 ids). */
  public Map<UUID, Category> categories(Collection<UUID> ids) {
    Map<UUID, Category> found = new LinkedHashMap<>();
    if (ids.isEmpty()) {
      return found;
    }
    BatchGetCategoriesRequest.Builder request = BatchGetCategoriesRequest.newBuilder();
    ids.forEach(id -> request.addIds(id.toString()));
    BatchGetCategoriesResponse response =
        Downstream.call(
            SERVICE,
            () ->
                categories
                    .withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS)
                    .batchGetCategories(request.build()));
    response.getCategoriesList().forEach(c -> found.put(UUID.fromString(c.getId()), c));
    return found;
  }

  /**
   * The categories linked to each of these books (at most 100 books: one page), in one call.
   * Books without links map to an empty list.
   */
  public Map<UUID, List<Category>> categoriesOfBooks(Collection<UUID> bookIds) {
    Map<UUID, List<Category>> found = new LinkedHashMap<>();
    if (bookIds.isEmpty()) {
      return found;
    }
    BatchGetItemCategoriesRequest.Builder request =
        BatchGetItemCategoriesRequest.newBuilder().setItemType(ITEM_TYPE);
    bookIds.forEach(id -> request.addItemIds(id.toString()));
    Downstream.call(
            SERVICE,
            () ->
                categories
                    .withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS)
                    .batchGetItemCategories(request.build()))
        .getItemsList()
        .forEach(item -> found.put(UUID.fromString(item.getItemId()), item.getCategoriesList()));
    return found;
  }

  /**
   * Makes the book's item links exactly {@code categoryIds} (the Category service's set
   * semantics make a repeat harmless). Throws the raw gRPC failure: the outbox relay decides
   * what to retry.
   */
  public void setBookCategories(UUID bookId, List<UUID> categoryIds, long deadlineMs) {
    UpdateItemCategoriesRequest.Builder request =
        UpdateItemCategoriesRequest.newBuilder()
            .setItemId(bookId.toString())
            .setItemType(ITEM_TYPE);
    categoryIds.forEach(id -> request.addCategoryIds(id.toString()));
    categories
        .withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS)
        .updateItemCategories(request.build());
  }
}
