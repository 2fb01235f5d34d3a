package dev.library.book.client;

import dev.library.book.core.CategoryCatalog;
import dev.library.category.v1.BatchGetCategoriesRequest;
import dev.library.category.v1.BatchGetItemCategoriesRequest;
import dev.library.category.v1.Category;
import dev.library.category.v1.CategoryServiceGrpc;
import dev.library.category.v1.UpdateItemCategoriesRequest;
import dev.library.runtime.grpc.Downstream;
import dev.library.runtime.grpc.ServiceChannels;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** The Category service as the Book service calls it. */
public final class CategoryDirectory implements CategoryCatalog {
  public static final String ITEM_TYPE = "book";

  private final Downstream downstream;
  private final CategoryServiceGrpc.CategoryServiceBlockingStub categories;
  private final HealthGrpc.HealthBlockingStub health;

  public CategoryDirectory(ServiceChannels channels) {
    this.downstream = channels.downstream("category");
    this.categories = CategoryServiceGrpc.newBlockingStub(channels.serviceChannel("category"));
    this.health = HealthGrpc.newBlockingStub(channels.serviceChannel("category"));
  }

  /** The categories of these ids that exist (at most 100 ids), in full. */
  public Map<UUID, Category> categories(Collection<UUID> ids) {
    Map<UUID, Category> found = new LinkedHashMap<>();
    if (ids.isEmpty()) {
      return found;
    }
    BatchGetCategoriesRequest.Builder request = BatchGetCategoriesRequest.newBuilder();
    ids.forEach(id -> request.addIds(id.toString()));
    downstream
        .call(categories, stub -> stub.batchGetCategories(request.build()))
        .getCategoriesList()
        .forEach(c -> found.put(UUID.fromString(c.getId()), c));
    return found;
  }

  @Override
  public Set<UUID> existing(Collection<UUID> ids) {
    return categories(ids).keySet().stream().collect(Collectors.toUnmodifiableSet());
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
    downstream
        .call(categories, stub -> stub.batchGetItemCategories(request.build()))
        .getItemsList()
        .forEach(item -> found.put(UUID.fromString(item.getItemId()), item.getCategoriesList()));
    return found;
  }

  @Override
  public boolean link(UUID bookId, List<UUID> categoryIds) {
    UpdateItemCategoriesRequest.Builder request =
        UpdateItemCategoriesRequest.newBuilder().setItemId(bookId.toString()).setItemType(ITEM_TYPE);
    categoryIds.forEach(id -> request.addCategoryIds(id.toString()));
    try {
      downstream.call(categories, stub -> stub.updateItemCategories(request.build()));
      return true;
    } catch (Downstream.Refused refused) {
      if (refused.code() == Status.Code.INVALID_ARGUMENT || refused.code() == Status.Code.NOT_FOUND) {
        return false;
      }
      throw refused;
    }
  }

  @Override
  public boolean isServing() {
    try {
      return downstream
              .call(
                  health,
                  stub ->
                      stub.check(
                          HealthCheckRequest.newBuilder()
                              .setService(CategoryServiceGrpc.SERVICE_NAME)
                              .build()))
              .getStatus()
          == HealthCheckResponse.ServingStatus.SERVING;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
