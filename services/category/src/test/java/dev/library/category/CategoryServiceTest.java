package dev.library.category;

import static dev.library.runtime.testing.StatusAssertions.code;
import static dev.library.runtime.testing.StatusAssertions.failure;
import static dev.library.runtime.testing.StatusAssertions.violatedFields;
import static org.assertj.core.api.Assertions.assertThat;

import dev.library.category.v1.BatchGetCategoriesRequest;
import dev.library.category.v1.BatchGetCategoriesResponse;
import dev.library.category.v1.BatchGetItemCategoriesRequest;
import dev.library.category.v1.BatchGetItemCategoriesResponse;
import dev.library.category.v1.BulkAddItemToCategoriesRequest;
import dev.library.category.v1.BulkAddItemToCategoriesResponse;
import dev.library.category.v1.Category;
import dev.library.category.v1.CategoryServiceGrpc;
import dev.library.category.v1.CategoryServiceGrpc.CategoryServiceBlockingStub;
import dev.library.category.v1.CreateCategoryRequest;
import dev.library.category.v1.DeleteCategoryRequest;
import dev.library.category.v1.GetCategoryRequest;
import dev.library.category.v1.GetItemCategoriesRequest;
import dev.library.category.v1.GetItemsByCategoriesRequest;
import dev.library.category.v1.GetItemsByCategoriesResponse;
import dev.library.category.v1.Item;
import dev.library.category.v1.ItemCategories;
import dev.library.category.v1.ListCategoriesRequest;
import dev.library.category.v1.ListCategoriesResponse;
import dev.library.category.v1.UpdateCategoryRequest;
import dev.library.category.v1.UpdateItemCategoriesRequest;
import dev.library.category.v1.UpdateItemCategoriesResponse;
import dev.library.runtime.testing.Credentials;
import dev.library.runtime.testing.LibrarySystem;
import dev.library.runtime.testing.TestAccounts;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The category service over real gRPC, with the real auth service for tokens. */
class CategoryServiceTest {
  private static LibrarySystem system;
  private static CategoryServiceBlockingStub anonymous;
  private static CategoryServiceBlockingStub asLibrarian;
  private static CategoryServiceBlockingStub asAdmin;
  private static CategoryServiceBlockingStub asMember;
  private static CategoryServiceBlockingStub asService;

  @BeforeAll
  static void start() {
    system = LibrarySystem.start("auth,category");
    TestAccounts accounts = new TestAccounts(system);
    anonymous = CategoryServiceGrpc.newBlockingStub(system.channel("category"));
    asLibrarian = anonymous.withCallCredentials(accounts.librarian().credentials());
    asAdmin = anonymous.withCallCredentials(accounts.admin().credentials());
    asMember = anonymous.withCallCredentials(accounts.member().credentials());
    asService = anonymous.withCallCredentials(Credentials.serverKey(LibrarySystem.SERVER_KEY));
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  // ---- categories ----

  @Test
  void librarianCreatesAndAnyMemberReads() {
    Category created =
        asLibrarian
            .createCategory(
                CreateCategoryRequest.newBuilder()
                    .setName("  Science Fiction " + tag() + "  ")
                    .setDescription("  Spaceships.  ")
                    .build())
            .getCategory();
    assertThat(created.getId()).matches("[0-9a-f-]{36}");
    assertThat(created.getName()).startsWith("Science Fiction ").doesNotEndWith(" ");
    assertThat(created.getDescription()).isEqualTo("Spaceships.");
    assertThat(created.hasCreatedAt()).isTrue();
    assertThat(created.getUpdatedAt()).isEqualTo(created.getCreatedAt());

    assertThat(get(asMember, created.getId())).isEqualTo(created);
    assertThat(get(asService, created.getId())).isEqualTo(created);
    assertThat(
            asAdmin
                .createCategory(CreateCategoryRequest.newBuilder().setName(tag()).build())
                .hasCategory())
        .isTrue();
  }

  @Test
  void updateReplacesFieldsAndNeverCreates() {
    Category category =
        asLibrarian
            .createCategory(
                CreateCategoryRequest.newBuilder()
                    .setName("Draft " + tag())
                    .setDescription("old")
                    .build())
            .getCategory();
    String newName = "Final " + tag();
    Category updated =
        asLibrarian
            .updateCategory(
                UpdateCategoryRequest.newBuilder()
                    .setId(category.getId())
                    .setName(" " + newName + " ")
                    .build())
            .getCategory();
    assertThat(updated.getId()).isEqualTo(category.getId());
    assertThat(updated.getName()).isEqualTo(newName);
    assertThat(updated.getDescription()).isEmpty();
    assertThat(updated.getCreatedAt()).isEqualTo(category.getCreatedAt());
    assertThat(updated.getUpdatedAt()).isNotEqualTo(category.getUpdatedAt());
    assertThat(updated.getUpdatedAt().getSeconds())
        .isGreaterThanOrEqualTo(category.getUpdatedAt().getSeconds());
    assertThat(get(asMember, category.getId())).isEqualTo(updated);

    String missing = UUID.randomUUID().toString();
    assertThat(
            code(
                () ->
                    asLibrarian.updateCategory(
                        UpdateCategoryRequest.newBuilder()
                            .setId(missing)
                            .setName("Ghost " + tag())
                            .build())))
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(code(() -> get(asMember, missing))).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void deleteRemovesTheCategoryOnce() {
    Category category = create("Doomed " + tag());
    asLibrarian.deleteCategory(DeleteCategoryRequest.newBuilder().setId(category.getId()).build());
    assertThat(code(() -> get(asMember, category.getId()))).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(
            code(
                () ->
                    asLibrarian.deleteCategory(
                        DeleteCategoryRequest.newBuilder().setId(category.getId()).build())))
        .isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void writesNeedALibrarianAndReadsNeedATokenOrTheServerKey() {
    Category category = create("Guarded " + tag());
    CreateCategoryRequest createRequest = CreateCategoryRequest.newBuilder().setName(tag()).build();
    UpdateCategoryRequest updateRequest =
        UpdateCategoryRequest.newBuilder().setId(category.getId()).setName(tag()).build();
    DeleteCategoryRequest deleteRequest =
        DeleteCategoryRequest.newBuilder().setId(category.getId()).build();

    assertThat(code(() -> asMember.createCategory(createRequest)))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(code(() -> asMember.updateCategory(updateRequest)))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(code(() -> asMember.deleteCategory(deleteRequest)))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    // Category writes need a user's access token; the server key is not one.
    assertThat(code(() -> asService.createCategory(createRequest)))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(code(() -> asService.updateCategory(updateRequest)))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(code(() -> asService.deleteCategory(deleteRequest)))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(code(() -> anonymous.createCategory(createRequest)))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(code(() -> anonymous.deleteCategory(deleteRequest)))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(code(() -> get(anonymous, category.getId()))).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(code(() -> anonymous.listCategories(ListCategoriesRequest.getDefaultInstance())))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    var wrongKey = anonymous.withCallCredentials(Credentials.serverKey("not-the-key"));
    assertThat(code(() -> get(wrongKey, category.getId()))).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(get(asMember, category.getId())).isEqualTo(category);
    assertThat(asService.listCategories(ListCategoriesRequest.getDefaultInstance()).getTotal())
        .isPositive();

    String item = UUID.randomUUID().toString();
    UpdateItemCategoriesRequest update =
        UpdateItemCategoriesRequest.newBuilder()
            .setItemId(item)
            .setItemType("book")
            .addCategoryIds(category.getId())
            .build();
    BulkAddItemToCategoriesRequest bulkAdd =
        BulkAddItemToCategoriesRequest.newBuilder()
            .setItemId(item)
            .setItemType("book")
            .addCategoryIds(category.getId())
            .build();
    GetItemCategoriesRequest itemCategories =
        GetItemCategoriesRequest.newBuilder().setItemId(item).setItemType("book").build();
    GetItemsByCategoriesRequest byCategory =
        GetItemsByCategoriesRequest.newBuilder().addCategoryIds(category.getId()).build();
    BatchGetItemCategoriesRequest batch =
        BatchGetItemCategoriesRequest.newBuilder().setItemType("book").addItemIds(item).build();

    assertThat(code(() -> asMember.updateItemCategories(update)))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(code(() -> asMember.bulkAddItemToCategories(bulkAdd)))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(code(() -> anonymous.updateItemCategories(update)))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(code(() -> anonymous.bulkAddItemToCategories(bulkAdd)))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(code(() -> anonymous.getItemCategories(itemCategories)))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(code(() -> anonymous.getItemsByCategories(byCategory)))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(code(() -> anonymous.batchGetItemCategories(batch)))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(getItem(asMember, item, "book")).isEmpty();

    // The Book service keeps its books' links with the server key.
    assertThat(asService.updateItemCategories(update).getAddedCategoryIdsList())
        .containsExactly(category.getId());
    assertThat(asService.bulkAddItemToCategories(bulkAdd).getCategoryIdsList())
        .containsExactly(category.getId());
    assertThat(asService.getItemCategories(itemCategories).getCategoriesList())
        .containsExactly(category);
    assertThat(asService.getItemsByCategories(byCategory).getItemsList())
        .containsExactly(Item.newBuilder().setItemId(item).setItemType("book").build());
    assertThat(asService.batchGetItemCategories(batch).getItems(0).getCategoriesList())
        .containsExactly(category);
    assertThat(asMember.getItemsByCategories(byCategory).getTotal()).isEqualTo(1);
    assertThat(asMember.batchGetItemCategories(batch).getItemsCount()).isEqualTo(1);
    assertThat(asAdmin.updateItemCategories(update).getCategoryIdsList())
        .containsExactly(category.getId());
  }

  @Test
  void invalidCategoryFieldsAreNamed() {
    assertInvalid(
        () -> asLibrarian.createCategory(CreateCategoryRequest.newBuilder().setName("   ").build()),
        "name");
    assertInvalid(
        () ->
            asLibrarian.createCategory(
                CreateCategoryRequest.newBuilder().setName("x".repeat(201)).build()),
        "name");
    assertInvalid(
        () ->
            asLibrarian.createCategory(
                CreateCategoryRequest.newBuilder()
                    .setName("ok " + tag())
                    .setDescription("d".repeat(2001))
                    .build()),
        "description");
    assertInvalid(
        () ->
            asLibrarian.createCategory(
                CreateCategoryRequest.newBuilder()
                    .setName("")
                    .setDescription("d".repeat(2001))
                    .build()),
        "name",
        "description");
    // The limits are inclusive, and count characters, not UTF-16 units.
    String longest = tag() + "é".repeat(190) + "😀";
    assertThat(longest.codePointCount(0, longest.length())).isEqualTo(199);
    assertThat(
            asLibrarian
                .createCategory(
                    CreateCategoryRequest.newBuilder()
                        .setName(longest + "x")
                        .setDescription("d".repeat(2000))
                        .build())
                .getCategory()
                .getName())
        .isEqualTo(longest + "x");

    assertInvalid(() -> get(asMember, "42"), "id");
    assertInvalid(() -> get(asMember, ""), "id");
    assertInvalid(
        () ->
            asLibrarian.deleteCategory(
                DeleteCategoryRequest.newBuilder().setId("'; drop table categories;--").build()),
        "id");
    assertInvalid(
        () ->
            asLibrarian.updateCategory(
                UpdateCategoryRequest.newBuilder().setId("nope").setName(" ").build()),
        "id",
        "name");
    assertInvalid(
        () ->
            asLibrarian.updateCategory(
                UpdateCategoryRequest.newBuilder()
                    .setId(UUID.randomUUID().toString())
                    .setName("ok")
                    .setDescription("d".repeat(2001))
                    .build()),
        "description");
    assertInvalid(
        () ->
            asMember.listCategories(
                ListCategoriesRequest.newBuilder()
                    .setPage(-1)
                    .setPageSize(101)
                    .setNameQuery("q".repeat(201))
                    .build()),
        "page",
        "page_size",
        "name_query");
    assertInvalid(
        () -> asMember.listCategories(ListCategoriesRequest.newBuilder().setPageSize(-1).build()),
        "page_size");
  }

  @Test
  void namesAreUniqueCaseInsensitively() {
    String name = "Unique " + tag();
    Category first = create(name);
    assertThat(code(() -> create("  " + name.toUpperCase() + " ")))
        .isEqualTo(Status.Code.ALREADY_EXISTS);

    Category other = create("Other " + tag());
    assertThat(
            code(
                () ->
                    asLibrarian.updateCategory(
                        UpdateCategoryRequest.newBuilder()
                            .setId(other.getId())
                            .setName(name.toLowerCase())
                            .build())))
        .isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(get(asMember, other.getId())).isEqualTo(other);

    // A category may change the case of its own name.
    Category recased =
        asLibrarian
            .updateCategory(
                UpdateCategoryRequest.newBuilder()
                    .setId(first.getId())
                    .setName(name.toUpperCase())
                    .build())
            .getCategory();
    assertThat(recased.getName()).isEqualTo(name.toUpperCase());
  }

  @Test
  void concurrentCreatesOfOneNameLetExactlyOneWin() throws Exception {
    String name = "Race " + tag();
    List<Callable<Status.Code>> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String variant = i % 2 == 0 ? name.toLowerCase() : name.toUpperCase();
      String spaced = i % 3 == 0 ? " " + variant + " " : variant;
      calls.add(() -> code(() -> create(spaced)));
    }
    List<Status.Code> codes = concurrently(calls);
    assertThat(codes).filteredOn(c -> c == Status.Code.OK).hasSize(1);
    assertThat(codes).filteredOn(c -> c == Status.Code.ALREADY_EXISTS).hasSize(19);
    assertThat(
            asMember
                .listCategories(ListCategoriesRequest.newBuilder().setNameQuery(name).build())
                .getTotal())
        .isEqualTo(1);
  }

  @Test
  void listPagesInNameOrderWithTotals() {
    String tag = tag();
    List<Category> made = new ArrayList<>();
    for (String name : List.of("b " + tag, "A " + tag, "c " + tag, "a2 " + tag, "B2 " + tag)) {
      made.add(create(name));
    }
    ListCategoriesResponse first =
        asMember.listCategories(
            ListCategoriesRequest.newBuilder()
                .setNameQuery(tag.toUpperCase())
                .setPageSize(2)
                .build());
    assertThat(first.getTotal()).isEqualTo(5);
    assertThat(first.getPage()).isEqualTo(1);
    assertThat(first.getPageSize()).isEqualTo(2);
    assertThat(first.getCategoriesList())
        .extracting(Category::getName)
        .containsExactly("A " + tag, "a2 " + tag);
    assertThat(first.getCategories(0)).isEqualTo(made.get(1));
    ListCategoriesResponse second =
        asMember.listCategories(
            ListCategoriesRequest.newBuilder().setNameQuery(tag).setPageSize(2).setPage(2).build());
    assertThat(second.getCategoriesList())
        .extracting(Category::getName)
        .containsExactly("b " + tag, "B2 " + tag);
    ListCategoriesResponse third =
        asMember.listCategories(
            ListCategoriesRequest.newBuilder().setNameQuery(tag).setPageSize(2).setPage(3).build());
    assertThat(third.getCategoriesList()).extracting(Category::getName).containsExactly("c " + tag);
    ListCategoriesResponse beyond =
        asMember.listCategories(
            ListCategoriesRequest.newBuilder().setNameQuery(tag).setPageSize(2).setPage(9).build());
    assertThat(beyond.getCategoriesList()).isEmpty();
    assertThat(beyond.getTotal()).isEqualTo(5);

    ListCategoriesResponse defaults =
        asMember.listCategories(ListCategoriesRequest.getDefaultInstance());
    assertThat(defaults.getPage()).isEqualTo(1);
    assertThat(defaults.getPageSize()).isEqualTo(20);
    assertThat(defaults.getTotal()).isGreaterThanOrEqualTo(5);
    List<String> names =
        defaults.getCategoriesList().stream().map(c -> c.getName().toLowerCase()).toList();
    assertThat(names).isSorted();
  }

  @Test
  void nameQueryTreatsWildcardsLiterally() {
    String tag = tag();
    create("Percent 100% " + tag);
    create("Percent 1000 " + tag);
    assertThat(
            asMember
                .listCategories(
                    ListCategoriesRequest.newBuilder().setNameQuery("100% " + tag).build())
                .getCategoriesList())
        .extracting(Category::getName)
        .containsExactly("Percent 100% " + tag);
    assertThat(
            asMember
                .listCategories(
                    ListCategoriesRequest.newBuilder().setNameQuery("_ercent%" + tag).build())
                .getTotal())
        .isZero();
  }

  @Test
  void batchGetCategoriesAnswersWhatSingleGetsWould() {
    Category a = create("Batch A " + tag());
    Category b = create("Batch B " + tag());
    String missing = UUID.randomUUID().toString();
    BatchGetCategoriesResponse batch =
        asMember.batchGetCategories(
            BatchGetCategoriesRequest.newBuilder()
                .addIds(b.getId())
                .addIds(missing)
                .addIds(a.getId().toUpperCase())
                .addIds(b.getId())
                .build());
    assertThat(batch.getCategoriesList())
        .containsExactly(get(asMember, b.getId()), get(asMember, a.getId()));
    assertThat(batch.getMissingIdsList()).containsExactly(missing);
    assertInvalid(
        () ->
            asMember.batchGetCategories(
                BatchGetCategoriesRequest.newBuilder().addIds(a.getId()).addIds("x").build()),
        "ids[1]");
    assertInvalid(
        () ->
            asMember.batchGetCategories(
                BatchGetCategoriesRequest.newBuilder().addAllIds(randomIds(101)).build()),
        "ids");
  }

  // ---- item links ----

  @Test
  void updateItemCategoriesSetsExactlyTheGivenSetAndIsIdempotent() {
    Category a = create("Set A " + tag());
    Category b = create("Set B " + tag());
    Category c = create("Set C " + tag());
    String item = UUID.randomUUID().toString();

    UpdateItemCategoriesResponse first =
        setItem(item, a.getId(), b.getId(), a.getId().toUpperCase());
    assertThat(first.getItemId()).isEqualTo(item);
    assertThat(first.getCategoryIdsList()).containsExactlyElementsOf(sortedIds(a, b));
    assertThat(first.getAddedCategoryIdsList()).containsExactlyElementsOf(sortedIds(a, b));
    assertThat(first.getRemovedCategoryIdsList()).isEmpty();

    UpdateItemCategoriesResponse again = setItem(item, b.getId(), a.getId());
    assertThat(again.getCategoryIdsList()).containsExactlyElementsOf(sortedIds(a, b));
    assertThat(again.getAddedCategoryIdsList()).isEmpty();
    assertThat(again.getRemovedCategoryIdsList()).isEmpty();

    UpdateItemCategoriesResponse grown = setItem(item, a.getId(), b.getId(), c.getId());
    assertThat(grown.getAddedCategoryIdsList()).containsExactly(c.getId());
    assertThat(grown.getRemovedCategoryIdsList()).isEmpty();

    UpdateItemCategoriesResponse shifted = setItem(item, c.getId(), b.getId());
    assertThat(shifted.getCategoryIdsList()).containsExactlyElementsOf(sortedIds(b, c));
    assertThat(shifted.getAddedCategoryIdsList()).isEmpty();
    assertThat(shifted.getRemovedCategoryIdsList()).containsExactly(a.getId());
    assertThat(getItem(asMember, item, "book"))
        .containsExactly(get(asMember, b.getId()), get(asMember, c.getId()));

    // The same id under another type is another item.
    assertThat(getItem(asMember, item, "dvd")).isEmpty();

    UpdateItemCategoriesResponse emptied = setItem(item);
    assertThat(emptied.getCategoryIdsList()).isEmpty();
    assertThat(emptied.getRemovedCategoryIdsList()).containsExactlyElementsOf(sortedIds(b, c));
    assertThat(getItem(asMember, item, "book")).isEmpty();
    assertThat(setItem(item).getRemovedCategoryIdsList()).isEmpty();
  }

  @Test
  void bulkAddKeepsExistingLinksAndIsIdempotent() {
    Category a = create("Bulk A " + tag());
    Category b = create("Bulk B " + tag());
    Category c = create("Bulk C " + tag());
    String item = UUID.randomUUID().toString();
    setItem(item, a.getId());

    BulkAddItemToCategoriesResponse added =
        bulkAdd(item, b.getId(), a.getId(), c.getId(), b.getId());
    assertThat(added.getItemId()).isEqualTo(item);
    assertThat(added.getAddedCategoryIdsList()).containsExactlyElementsOf(sortedIds(b, c));
    assertThat(added.getCategoryIdsList()).containsExactlyElementsOf(sortedIds(a, b, c));

    BulkAddItemToCategoriesResponse again = bulkAdd(item, c.getId(), a.getId());
    assertThat(again.getAddedCategoryIdsList()).isEmpty();
    assertThat(again.getCategoryIdsList()).containsExactlyElementsOf(sortedIds(a, b, c));
    assertThat(getItem(asMember, item, "book"))
        .extracting(Category::getId)
        .containsExactlyInAnyOrderElementsOf(sortedIds(a, b, c));
  }

  @Test
  void anUnknownCategoryRejectsTheWholeChange() {
    Category a = create("Kept " + tag());
    Category b = create("Never " + tag());
    String item = UUID.randomUUID().toString();
    setItem(item, a.getId());
    String unknown = UUID.randomUUID().toString();

    // The id is named once, at its first position; nothing is applied, not even removing a.
    assertInvalid(
        () -> setItem(item, b.getId(), unknown, unknown.toUpperCase()), "category_ids[1]");
    assertThat(getItem(asMember, item, "book"))
        .extracting(Category::getId)
        .containsExactly(a.getId());

    String other = UUID.randomUUID().toString();
    assertInvalid(
        () -> bulkAdd(item, unknown, b.getId(), other), "category_ids[0]", "category_ids[2]");
    assertThat(getItem(asMember, item, "book"))
        .extracting(Category::getId)
        .containsExactly(a.getId());
    assertThat(
            asMember
                .getItemsByCategories(
                    GetItemsByCategoriesRequest.newBuilder().addCategoryIds(b.getId()).build())
                .getTotal())
        .isZero();
  }

  @Test
  void invalidItemLinkFieldsAreNamed() {
    String category = create("Valid " + tag()).getId();
    String item = UUID.randomUUID().toString();
    assertInvalid(
        () ->
            asLibrarian.updateItemCategories(
                UpdateItemCategoriesRequest.newBuilder()
                    .setItemId("book-1")
                    .setItemType(" ")
                    .addCategoryIds(category)
                    .addCategoryIds(category)
                    .addCategoryIds("12")
                    .build()),
        "item_id",
        "item_type",
        "category_ids[2]");
    assertInvalid(
        () ->
            asLibrarian.updateItemCategories(
                UpdateItemCategoriesRequest.newBuilder()
                    .setItemId(item)
                    .setItemType("t".repeat(51))
                    .addAllCategoryIds(randomIds(101))
                    .build()),
        "item_type",
        "category_ids");
    assertInvalid(
        () ->
            asLibrarian.bulkAddItemToCategories(
                BulkAddItemToCategoriesRequest.newBuilder()
                    .setItemId(item)
                    .setItemType("book")
                    .build()),
        "category_ids");
    assertInvalid(
        () ->
            asLibrarian.bulkAddItemToCategories(
                BulkAddItemToCategoriesRequest.newBuilder()
                    .setItemType("book")
                    .addCategoryIds(category)
                    .addCategoryIds("")
                    .build()),
        "item_id",
        "category_ids[1]");
    assertInvalid(
        () ->
            asLibrarian.bulkAddItemToCategories(
                BulkAddItemToCategoriesRequest.newBuilder()
                    .setItemId(item)
                    .setItemType("book")
                    .addAllCategoryIds(randomIds(101))
                    .build()),
        "category_ids");
    assertInvalid(() -> getItem(asMember, "x", ""), "item_id", "item_type");
    assertInvalid(() -> getItem(asMember, item, "t".repeat(51)), "item_type");
    assertThat(getItem(asMember, item, "t".repeat(50))).isEmpty();

    assertInvalid(
        () -> asMember.getItemsByCategories(GetItemsByCategoriesRequest.getDefaultInstance()),
        "category_ids");
    assertInvalid(
        () ->
            asMember.getItemsByCategories(
                GetItemsByCategoriesRequest.newBuilder()
                    .addCategoryIds("nope")
                    .setItemType("t".repeat(51))
                    .setPage(-1)
                    .setPageSize(101)
                    .build()),
        "category_ids[0]",
        "item_type",
        "page",
        "page_size");
    assertInvalid(
        () ->
            asMember.getItemsByCategories(
                GetItemsByCategoriesRequest.newBuilder().addAllCategoryIds(randomIds(101)).build()),
        "category_ids");

    assertInvalid(
        () ->
            asMember.batchGetItemCategories(
                BatchGetItemCategoriesRequest.newBuilder()
                    .addItemIds(item)
                    .addItemIds("2")
                    .build()),
        "item_type",
        "item_ids[1]");
    assertInvalid(
        () ->
            asMember.batchGetItemCategories(
                BatchGetItemCategoriesRequest.newBuilder()
                    .setItemType("book")
                    .addAllItemIds(randomIds(101))
                    .build()),
        "item_ids");
  }

  @Test
  void getItemCategoriesListsByName() {
    Category z = create("zz " + tag());
    Category a = create("AA " + tag());
    Category m = create("mm " + tag());
    String item = UUID.randomUUID().toString();
    setItem(item, z.getId(), m.getId(), a.getId());
    assertThat(getItem(asMember, item, "book")).containsExactly(a, m, z);
    assertThat(getItem(asMember, UUID.randomUUID().toString(), "book")).isEmpty();
  }

  @Test
  void deletingACategoryRemovesItsLinks() {
    Category gone = create("Gone " + tag());
    Category kept = create("Stays " + tag());
    String first = UUID.randomUUID().toString();
    String second = UUID.randomUUID().toString();
    setItem(first, gone.getId(), kept.getId());
    setItem(second, gone.getId());

    asLibrarian.deleteCategory(DeleteCategoryRequest.newBuilder().setId(gone.getId()).build());
    assertThat(getItem(asMember, first, "book")).containsExactly(kept);
    assertThat(getItem(asMember, second, "book")).isEmpty();
    GetItemsByCategoriesResponse items =
        asMember.getItemsByCategories(
            GetItemsByCategoriesRequest.newBuilder().addCategoryIds(gone.getId()).build());
    assertThat(items.getItemsList()).isEmpty();
    assertThat(items.getTotal()).isZero();
    // Linking to the deleted category is now an unknown id.
    assertInvalid(() -> setItem(first, kept.getId(), gone.getId()), "category_ids[1]");
    assertThat(setItem(first, kept.getId()).getRemovedCategoryIdsList()).isEmpty();
  }

  @Test
  void itemsByCategoriesMatchAnyOrAllWithTypesPagesAndTotals() {
    Category x = create("X " + tag());
    Category y = create("Y " + tag());
    List<String> books = sortedStrings(randomIds(5));
    String dvd = UUID.randomUUID().toString();
    // books 0-2 in X and Y, books 3-4 only in X; the dvd only in Y.
    for (int i = 0; i < 5; i++) {
      if (i < 3) {
        setItem(books.get(i), x.getId(), y.getId());
      } else {
        setItem(books.get(i), x.getId());
      }
    }
    asService.updateItemCategories(
        UpdateItemCategoriesRequest.newBuilder()
            .setItemId(dvd)
            .setItemType("dvd")
            .addCategoryIds(y.getId())
            .build());

    GetItemsByCategoriesResponse any =
        asMember.getItemsByCategories(
            GetItemsByCategoriesRequest.newBuilder()
                .addCategoryIds(x.getId())
                .addCategoryIds(y.getId())
                .addCategoryIds(x.getId())
                .build());
    assertThat(any.getTotal()).isEqualTo(6);
    assertThat(any.getPage()).isEqualTo(1);
    assertThat(any.getPageSize()).isEqualTo(20);
    List<Item> expected = new ArrayList<>();
    books.forEach(b -> expected.add(Item.newBuilder().setItemType("book").setItemId(b).build()));
    expected.add(Item.newBuilder().setItemType("dvd").setItemId(dvd).build());
    assertThat(any.getItemsList()).containsExactlyElementsOf(expected);

    GetItemsByCategoriesRequest allBooks =
        GetItemsByCategoriesRequest.newBuilder()
            .addCategoryIds(y.getId())
            .addCategoryIds(x.getId())
            .setMatchAll(true)
            .setItemType("book")
            .setPageSize(2)
            .build();
    GetItemsByCategoriesResponse page1 = asMember.getItemsByCategories(allBooks);
    assertThat(page1.getTotal()).isEqualTo(3);
    assertThat(page1.getItemsList())
        .extracting(Item::getItemId)
        .containsExactlyElementsOf(books.subList(0, 2));
    GetItemsByCategoriesResponse page2 =
        asMember.getItemsByCategories(allBooks.toBuilder().setPage(2).build());
    assertThat(page2.getTotal()).isEqualTo(3);
    assertThat(page2.getItemsList()).extracting(Item::getItemId).containsExactly(books.get(2));
    GetItemsByCategoriesResponse beyond =
        asMember.getItemsByCategories(allBooks.toBuilder().setPage(3).build());
    assertThat(beyond.getItemsList()).isEmpty();
    assertThat(beyond.getTotal()).isEqualTo(3);
    assertThat(beyond.getPage()).isEqualTo(3);

    GetItemsByCategoriesResponse dvds =
        asMember.getItemsByCategories(
            GetItemsByCategoriesRequest.newBuilder()
                .addCategoryIds(y.getId())
                .setItemType("dvd")
                .build());
    assertThat(dvds.getItemsList()).extracting(Item::getItemId).containsExactly(dvd);

    // An id naming no category matches nothing: "any" ignores it, "all" can never be met.
    String unknown = UUID.randomUUID().toString();
    assertThat(
            asMember
                .getItemsByCategories(
                    GetItemsByCategoriesRequest.newBuilder()
                        .addCategoryIds(x.getId())
                        .addCategoryIds(unknown)
                        .build())
                .getTotal())
        .isEqualTo(5);
    assertThat(
            asMember
                .getItemsByCategories(
                    GetItemsByCategoriesRequest.newBuilder()
                        .addCategoryIds(x.getId())
                        .addCategoryIds(unknown)
                        .setMatchAll(true)
                        .build())
                .getTotal())
        .isZero();
  }

  @Test
  void batchGetItemCategoriesAnswersWhatSingleCallsWould() {
    Category a = create("Batch item A " + tag());
    Category b = create("Batch item B " + tag());
    String both = UUID.randomUUID().toString();
    String one = UUID.randomUUID().toString();
    String none = UUID.randomUUID().toString();
    setItem(both, b.getId(), a.getId());
    setItem(one, b.getId());

    BatchGetItemCategoriesResponse batch =
        asMember.batchGetItemCategories(
            BatchGetItemCategoriesRequest.newBuilder()
                .setItemType("book")
                .addItemIds(one)
                .addItemIds(none)
                .addItemIds(both)
                .addItemIds(one.toUpperCase())
                .build());
    assertThat(batch.getItemsList())
        .extracting(ItemCategories::getItemId)
        .containsExactly(one, none, both);
    for (ItemCategories entry : batch.getItemsList()) {
      assertThat(entry.getCategoriesList()).isEqualTo(getItem(asMember, entry.getItemId(), "book"));
    }
    assertThat(batch.getItems(2).getCategoriesList()).containsExactly(a, b);
    assertThat(
            asMember
                .batchGetItemCategories(
                    BatchGetItemCategoriesRequest.newBuilder().setItemType("book").build())
                .getItemsList())
        .isEmpty();
  }

  @Test
  void concurrentUpdatesOfOneItemSerialize() throws Exception {
    List<String> pool = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      pool.add(create("Pool " + i + " " + tag()).getId());
    }
    String item = UUID.randomUUID().toString();
    // Sixteen distinct subsets of the pool, applied at once.
    List<Set<String>> sets = new ArrayList<>();
    for (int mask = 1; mask <= 16; mask++) {
      Set<String> set = new HashSet<>();
      for (int bit = 0; bit < 5; bit++) {
        if ((mask & (1 << bit)) != 0) {
          set.add(pool.get(bit));
        }
      }
      sets.add(set);
    }
    List<Callable<UpdateItemCategoriesResponse>> calls = new ArrayList<>();
    for (Set<String> set : sets) {
      calls.add(() -> setItem(item, set.toArray(String[]::new)));
    }
    List<UpdateItemCategoriesResponse> responses = concurrently(calls);

    // Serialized, each call saw exactly what the previous one left: chain them from the empty
    // set. What a call saw is its result minus what it added, plus what it removed.
    List<Set<String>> before = new ArrayList<>();
    for (UpdateItemCategoriesResponse response : responses) {
      Set<String> seen = new HashSet<>(response.getCategoryIdsList());
      seen.removeAll(response.getAddedCategoryIdsList());
      seen.addAll(response.getRemovedCategoryIdsList());
      before.add(seen);
    }
    Set<String> state = Set.of();
    List<Integer> unused = new ArrayList<>();
    for (int i = 0; i < responses.size(); i++) {
      unused.add(i);
      assertThat(Set.copyOf(responses.get(i).getCategoryIdsList())).isEqualTo(sets.get(i));
    }
    while (!unused.isEmpty()) {
      Set<String> current = state;
      Integer next =
          unused.stream()
              .filter(i -> before.get(i).equals(current))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no call continues from " + current));
      unused.remove(next);
      state = sets.get(next);
    }
    assertThat(getItem(asMember, item, "book"))
        .extracting(Category::getId)
        .containsExactlyInAnyOrderElementsOf(state);
  }

  @Test
  void categoriesDeletedWhileLinkingNeverFailAsInternal() throws Exception {
    List<String> doomed = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      doomed.add(create("Doomed " + i + " " + tag()).getId());
    }
    String kept = create("Survivor " + tag()).getId();
    List<String> items = randomIds(8);
    List<Callable<Status.Code>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String category = doomed.get(i);
      String item = items.get(i);
      calls.add(() -> code(() -> setItem(item, kept, category)));
      calls.add(() -> code(() -> bulkAdd(item, category)));
      calls.add(
          () ->
              code(
                  () ->
                      asLibrarian.deleteCategory(
                          DeleteCategoryRequest.newBuilder().setId(category).build())));
    }
    List<Status.Code> codes = concurrently(calls);
    for (int i = 0; i < codes.size(); i++) {
      Status.Code code = codes.get(i);
      if (i % 3 == 2) {
        assertThat(code).isEqualTo(Status.Code.OK);
      } else {
        assertThat(code).isIn(Status.Code.OK, Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND);
      }
    }
    for (String item : items) {
      assertThat(getItem(asMember, item, "book")).extracting(Category::getId).isSubsetOf(kept);
    }
  }

  // ---- helpers ----

  private static String tag() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  private static Category create(String name) {
    return asLibrarian
        .createCategory(CreateCategoryRequest.newBuilder().setName(name).build())
        .getCategory();
  }

  private static Category get(CategoryServiceBlockingStub stub, String id) {
    return stub.getCategory(GetCategoryRequest.newBuilder().setId(id).build()).getCategory();
  }

  private static UpdateItemCategoriesResponse setItem(String item, String... categoryIds) {
    return asLibrarian.updateItemCategories(
        UpdateItemCategoriesRequest.newBuilder()
            .setItemId(item)
            .setItemType("book")
            .addAllCategoryIds(List.of(categoryIds))
            .build());
  }

  private static BulkAddItemToCategoriesResponse bulkAdd(String item, String... categoryIds) {
    return asLibrarian.bulkAddItemToCategories(
        BulkAddItemToCategoriesRequest.newBuilder()
            .setItemId(item)
            .setItemType("book")
            .addAllCategoryIds(List.of(categoryIds))
            .build());
  }

  private static List<Category> getItem(
      CategoryServiceBlockingStub stub, String item, String type) {
    return stub.getItemCategories(
            GetItemCategoriesRequest.newBuilder().setItemId(item).setItemType(type).build())
        .getCategoriesList();
  }

  private static List<String> randomIds(int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(UUID.randomUUID().toString());
    }
    return ids;
  }

  /** Ids in the service's id order: PostgreSQL's uuid order, which is that of their text. */
  private static List<String> sortedIds(Category... categories) {
    List<String> ids = new ArrayList<>();
    for (Category category : categories) {
      ids.add(category.getId());
    }
    return sortedStrings(ids);
  }

  private static List<String> sortedStrings(Collection<String> values) {
    return values.stream().sorted().toList();
  }

  private static void assertInvalid(Runnable call, String... fields) {
    StatusRuntimeException error = failure(call);
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(violatedFields(error)).containsExactlyInAnyOrder(fields);
  }

  /** Runs the calls at once, released together by a start gate; results in call order. */
  private static <T> List<T> concurrently(List<Callable<T>> calls) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(calls.size());
    try {
      CountDownLatch ready = new CountDownLatch(calls.size());
      CountDownLatch go = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> call : calls) {
        futures.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  go.await();
                  return call.call();
                }));
      }
      assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
      go.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(30, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
