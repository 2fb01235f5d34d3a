package dev.library.category.api;

import static dev.library.runtime.grpc.Replies.reply;

import dev.library.category.core.Categories;
import dev.library.category.core.ItemLinks;
import dev.library.category.db.CategoryRow;
import dev.library.category.db.ItemLinkDao.LinkChange;
import dev.library.category.v1.BatchGetCategoriesRequest;
import dev.library.category.v1.BatchGetCategoriesResponse;
import dev.library.category.v1.BatchGetItemCategoriesRequest;
import dev.library.category.v1.BatchGetItemCategoriesResponse;
import dev.library.category.v1.BulkAddItemToCategoriesRequest;
import dev.library.category.v1.BulkAddItemToCategoriesResponse;
import dev.library.category.v1.CategoryServiceGrpc;
import dev.library.category.v1.CreateCategoryRequest;
import dev.library.category.v1.CreateCategoryResponse;
import dev.library.category.v1.DeleteCategoryRequest;
import dev.library.category.v1.DeleteCategoryResponse;
import dev.library.category.v1.GetCategoryRequest;
import dev.library.category.v1.GetCategoryResponse;
import dev.library.category.v1.GetItemCategoriesRequest;
import dev.library.category.v1.GetItemCategoriesResponse;
import dev.library.category.v1.GetItemsByCategoriesRequest;
import dev.library.category.v1.GetItemsByCategoriesResponse;
import dev.library.category.v1.ItemCategories;
import dev.library.category.v1.ListCategoriesRequest;
import dev.library.category.v1.ListCategoriesResponse;
import dev.library.category.v1.UpdateCategoryRequest;
import dev.library.category.v1.UpdateCategoryResponse;
import dev.library.category.v1.UpdateItemCategoriesRequest;
import dev.library.category.v1.UpdateItemCategoriesResponse;
import dev.library.runtime.api.Lookup;
import dev.library.runtime.api.ListPage;
import io.grpc.stub.StreamObserver;

/**
 * The CategoryService RPCs, one method each, reading like category.proto (which also says who
 * may call each; the Book service keeps its books' links here with the server key).
 */
public final class CategoryGrpcService extends CategoryServiceGrpc.CategoryServiceImplBase {
  private final Categories categories;
  private final ItemLinks links;

  public CategoryGrpcService(Categories categories, ItemLinks links) {
    this.categories = categories;
    this.links = links;
  }

  @Override
  public void createCategory(
      CreateCategoryRequest request, StreamObserver<CreateCategoryResponse> response) {
    var row = categories.create(request.getName(), request.getDescription());
    reply(
        response,
        CreateCategoryResponse.newBuilder().setCategory(CategoryMessages.toProto(row)).build());
  }

  @Override
  public void getCategory(
      GetCategoryRequest request, StreamObserver<GetCategoryResponse> response) {
    reply(
        response,
        GetCategoryResponse.newBuilder()
            .setCategory(CategoryMessages.toProto(categories.get(request.getId())))
            .build());
  }

  @Override
  public void updateCategory(
      UpdateCategoryRequest request, StreamObserver<UpdateCategoryResponse> response) {
    var row = categories.update(request.getId(), request.getName(), request.getDescription());
    reply(
        response,
        UpdateCategoryResponse.newBuilder().setCategory(CategoryMessages.toProto(row)).build());
  }

  @Override
  public void deleteCategory(
      DeleteCategoryRequest request, StreamObserver<DeleteCategoryResponse> response) {
    categories.delete(request.getId());
    reply(response, DeleteCategoryResponse.newBuilder().setSuccess(true).build());
  }

  @Override
  public void listCategories(
      ListCategoriesRequest request, StreamObserver<ListCategoriesResponse> response) {
    ListPage<CategoryRow> page =
        categories.list(
            request.getPage(), request.getPageSize(), request.getPageToken(), request.getNameQuery());
    reply(
        response,
        ListCategoriesResponse.newBuilder()
            .addAllCategories(CategoryMessages.toProto(page.rows()))
            .setTotal(page.total())
            .setTotalIsLowerBound(page.totalIsLowerBound())
            .setPage(page.page())
            .setPageSize(page.pageSize())
            .setNextPageToken(page.nextPageToken())
            .build());
  }

  @Override
  public void batchGetCategories(
      BatchGetCategoriesRequest request, StreamObserver<BatchGetCategoriesResponse> response) {
    Lookup<CategoryRow> batch = categories.batchGet(request.getIdsList());
    reply(
        response,
        BatchGetCategoriesResponse.newBuilder()
            .addAllCategories(CategoryMessages.toProto(batch.found()))
            .addAllMissingIds(CategoryMessages.ids(batch.missing()))
            .build());
  }

  @Override
  public void updateItemCategories(
      UpdateItemCategoriesRequest request, StreamObserver<UpdateItemCategoriesResponse> response) {
    LinkChange change =
        links.replace(request.getItemId(), request.getItemType(), request.getCategoryIdsList());
    reply(
        response,
        UpdateItemCategoriesResponse.newBuilder()
            .setItemId(change.itemId().toString())
            .addAllCategoryIds(CategoryMessages.ids(change.categoryIds()))
            .addAllAddedCategoryIds(CategoryMessages.ids(change.added()))
            .addAllRemovedCategoryIds(CategoryMessages.ids(change.removed()))
            .setSuccess(true)
            .build());
  }

  @Override
  public void bulkAddItemToCategories(
      BulkAddItemToCategoriesRequest request,
      StreamObserver<BulkAddItemToCategoriesResponse> response) {
    LinkChange change =
        links.add(request.getItemId(), request.getItemType(), request.getCategoryIdsList());
    reply(
        response,
        BulkAddItemToCategoriesResponse.newBuilder()
            .setItemId(change.itemId().toString())
            .addAllAddedCategoryIds(CategoryMessages.ids(change.added()))
            .addAllCategoryIds(CategoryMessages.ids(change.categoryIds()))
            .setSuccess(true)
            .build());
  }

  @Override
  public void getItemCategories(
      GetItemCategoriesRequest request, StreamObserver<GetItemCategoriesResponse> response) {
    reply(
        response,
        GetItemCategoriesResponse.newBuilder()
            .addAllCategories(
                CategoryMessages.toProto(
                    links.categoriesOf(request.getItemId(), request.getItemType())))
            .build());
  }

  @Override
  public void getItemsByCategories(
      GetItemsByCategoriesRequest request, StreamObserver<GetItemsByCategoriesResponse> response) {
    ItemLinks.ItemsPage page =
        links.items(
            request.getCategoryIdsList(),
            request.getItemType(),
            request.getMatchAll(),
            request.getPage(),
            request.getPageSize());
    GetItemsByCategoriesResponse.Builder out =
        GetItemsByCategoriesResponse.newBuilder()
            .setTotal(page.total())
            .setPage(page.paging().page())
            .setPageSize(page.paging().pageSize());
    page.items()
        .forEach(
            item -> {
              out.addItems(CategoryMessages.toProto(item));
              out.addItemIds(item.itemId().toString());
            });
    reply(response, out.build());
  }

  @Override
  public void batchGetItemCategories(
      BatchGetItemCategoriesRequest request,
      StreamObserver<BatchGetItemCategoriesResponse> response) {
    BatchGetItemCategoriesResponse.Builder out = BatchGetItemCategoriesResponse.newBuilder();
    for (ItemLinks.ItemCategories item :
        links.batchCategoriesOf(request.getItemType(), request.getItemIdsList())) {
      out.addItems(
          ItemCategories.newBuilder()
              .setItemId(item.itemId().toString())
              .addAllCategories(CategoryMessages.toProto(item.categories())));
    }
    reply(response, out.build());
  }
}
