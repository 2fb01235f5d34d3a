package dev.library.server;

import static dev.library.testing.Rest.encode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.library.runtime.testing.LibrarySystem;
import dev.library.runtime.testing.TestAccounts;
import dev.library.testing.Rest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Author and Category services' REST API through the gateway, black box: authors and
 * categories CRUD, lists with paging, item links with set semantics, and every error case as
 * the HTTP status plus a google.rpc.Status JSON body.
 */
class CatalogRestTest {
  private static final Pattern RFC_3339 =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})");

  private static final JsonNode SUCCESS = Rest.JSON.createObjectNode().put("success", true);

  private static LibrarySystem system;
  private static Rest rest;
  private static TestAccounts.User librarian;
  private static TestAccounts.User member;

  @BeforeAll
  static void start() {
    system = LibrarySystem.start("all");
    rest = new Rest(system.gatewayPort());
    TestAccounts accounts = new TestAccounts(system);
    librarian = accounts.librarian();
    member = accounts.member();
  }

  @AfterAll
  static void stop() {
    if (system != null) {
      system.close();
    }
  }

  // ---------------------------------------------------------------- authors

  @Test
  void authorCrudRoundTrip() {
    String name = unique("Ursula K. Le Guin");
    JsonNode created =
        rest.post("/api/v1/authors")
            .bearer(librarian.token())
            .body(
                Map.of(
                    "name", "  " + name + "  ",
                    "biography", "Wrote Earthsea.",
                    "birthDate", "1929-10-21"))
            .send()
            .expect(200)
            .path("author");
    String id = created.path("id").asText();
    assertThat(UUID.fromString(id)).isNotNull();
    assertThat(created.path("name").asText()).as("name is trimmed").isEqualTo(name);
    assertThat(created.path("biography").asText()).isEqualTo("Wrote Earthsea.");
    assertThat(created.path("birthDate").asText()).isEqualTo("1929-10-21");
    Instant createdAt = timestamp(created, "createdAt");
    assertThat(timestamp(created, "updatedAt")).isEqualTo(createdAt);

    JsonNode read =
        rest.get("/api/v1/authors/" + id).bearer(librarian.token()).send().expect(200).path("author");
    assertThat(read).isEqualTo(created);

    // Full replacement: the biography left out is cleared, not kept.
    String newName = unique("Ursula Le Guin");
    JsonNode updated =
        rest.put("/api/v1/authors/" + id)
            .bearer(librarian.token())
            .body(Map.of("name", newName, "birthDate", "1929-10-22"))
            .send()
            .expect(200)
            .path("author");
    assertThat(updated.path("id").asText()).isEqualTo(id);
    assertThat(updated.path("name").asText()).isEqualTo(newName);
    assertThat(updated.path("biography").asText("")).isEmpty();
    assertThat(updated.path("birthDate").asText()).isEqualTo("1929-10-22");
    assertThat(timestamp(updated, "createdAt")).isEqualTo(createdAt);
    assertThat(timestamp(updated, "updatedAt")).isAfterOrEqualTo(createdAt);

    JsonNode reread =
        rest.get("/api/v1/authors/" + id).bearer(member.token()).send().expect(200).path("author");
    assertThat(reread).isEqualTo(updated);

    // An empty birthDate clears it too.
    JsonNode cleared =
        rest.put("/api/v1/authors/" + id)
            .bearer(librarian.token())
            .body(Map.of("name", newName, "birthDate", ""))
            .send()
            .expect(200)
            .path("author");
    assertThat(cleared.path("birthDate").asText("")).isEmpty();

    JsonNode deleted = rest.delete("/api/v1/authors/" + id).bearer(librarian.token()).send().expect(200);
    assertThat(deleted).as("DELETE answers the original's {success: true}").isEqualTo(SUCCESS);

    rest.get("/api/v1/authors/" + id).bearer(librarian.token()).send().expectError(404, 5);
    rest.delete("/api/v1/authors/" + id).bearer(librarian.token()).send().expectError(404, 5);
    rest.put("/api/v1/authors/" + id)
        .bearer(librarian.token())
        .body(Map.of("name", newName))
        .send()
        .expectError(404, 5);
  }

  @Test
  void listAuthorsPagesByNameWithTotal() {
    String tag = tag();
    List<String> ids = new ArrayList<>();
    // Created out of order; listed by name, case-insensitively.
    for (String prefix : List.of("delta", "Alpha", "echo", "Charlie", "bravo")) {
      ids.add(createAuthor(prefix + " " + tag));
    }
    List<String> expectedOrder =
        List.of("Alpha", "bravo", "Charlie", "delta", "echo").stream()
            .map(p -> p + " " + tag)
            .toList();

    List<String> seen = new ArrayList<>();
    for (int page = 1; page <= 3; page++) {
      JsonNode list =
          rest.get("/api/v1/authors?name_query=" + encode(tag) + "&page=" + page + "&page_size=2")
              .bearer(member.token())
              .send()
              .expect(200);
      assertThat(list.path("total").asInt()).as("total of %s", list).isEqualTo(5);
      assertThat(list.path("page").asInt()).isEqualTo(page);
      assertThat(list.path("pageSize").asInt()).isEqualTo(2);
      assertThat(list.path("authors").size()).isEqualTo(page < 3 ? 2 : 1);
      list.path("authors").forEach(a -> seen.add(a.path("name").asText()));
    }
    assertThat(seen).containsExactlyElementsOf(expectedOrder);

    // camelCase parameters and a query in another letter case.
    JsonNode camel =
        rest.get("/api/v1/authors?nameQuery=" + encode("CHARLIE " + tag.toUpperCase()) + "&pageSize=10")
            .bearer(member.token())
            .send()
            .expect(200);
    assertThat(camel.path("total").asInt()).isEqualTo(1);
    assertThat(Rest.names(camel.path("authors"))).containsExactly("Charlie " + tag);
    assertThat(camel.path("pageSize").asInt()).isEqualTo(10);

    // Past the last page: empty, total still counted.
    JsonNode beyond =
        rest.get("/api/v1/authors?name_query=" + encode(tag) + "&page=4&page_size=2")
            .bearer(member.token())
            .send()
            .expect(200);
    assertThat(beyond.path("authors").size()).isZero();
    assertThat(beyond.path("total").asInt()).isEqualTo(5);

    // Defaults: page 1 of 20.
    JsonNode defaults =
        rest.get("/api/v1/authors?name_query=" + encode(tag)).bearer(member.token()).send().expect(200);
    assertThat(defaults.path("page").asInt()).isEqualTo(1);
    assertThat(defaults.path("pageSize").asInt()).isEqualTo(20);
    assertThat(defaults.path("authors").size()).isEqualTo(5);
  }

  @Test
  void authorsAndCategoriesPageByTokenOverRest() {
    String tag = tag();
    for (String prefix : List.of("delta", "Alpha", "echo", "Charlie", "bravo")) {
      createAuthor(prefix + " " + tag);
      createCategory(prefix + " " + tag);
    }
    for (String list : List.of("authors", "categories")) {
      List<String> seen = new ArrayList<>();
      String token = "";
      boolean first = true;
      while (first || !token.isEmpty()) {
        JsonNode page =
            rest.get("/api/v1/" + list + "?nameQuery=" + encode(tag) + "&pageSize=2&pageToken=" + encode(token))
                .bearer(member.token())
                .send()
                .expect(200);
        assertThat(page.path("total").asInt()).isEqualTo(5);
        assertThat(page.path("totalIsLowerBound").asBoolean()).isFalse();
        seen.addAll(Rest.names(page.path(list)));
        if (first) {
          // Added before the position: the next page by token is not shifted by it.
          if (list.equals("authors")) {
            createAuthor("Aardvark " + tag);
          } else {
            createCategory("Aardvark " + tag);
          }
          first = false;
        }
        token = page.path("nextPageToken").asText();
      }
      assertThat(seen)
          .as(list)
          .containsExactlyElementsOf(
              List.of("Alpha", "bravo", "Charlie", "delta", "echo").stream().map(p -> p + " " + tag).toList());
    }
    String authorsToken =
        rest.get("/api/v1/authors?nameQuery=" + encode(tag) + "&pageSize=1")
            .bearer(member.token())
            .send()
            .expect(200)
            .path("nextPageToken")
            .asText();
    rest.get("/api/v1/categories?nameQuery=" + encode(tag) + "&pageToken=" + encode(authorsToken))
        .bearer(member.token())
        .send()
        .expectViolation("page_token");
    rest.get("/api/v1/authors?nameQuery=" + encode("other") + "&pageToken=" + encode(authorsToken))
        .bearer(member.token())
        .send()
        .expectViolation("page_token");
  }

  // ---------------------------------------------------------------- categories

  @Test
  void categoryCrudRoundTrip() {
    String name = unique("Fantasy");
    JsonNode created =
        rest.post("/api/v1/categories")
            .bearer(librarian.token())
            .body(Map.of("name", name, "description", "Dragons and wizards."))
            .send()
            .expect(200)
            .path("category");
    String id = created.path("id").asText();
    assertThat(UUID.fromString(id)).isNotNull();
    assertThat(created.path("name").asText()).isEqualTo(name);
    assertThat(created.path("description").asText()).isEqualTo("Dragons and wizards.");
    Instant createdAt = timestamp(created, "createdAt");
    assertThat(timestamp(created, "updatedAt")).isEqualTo(createdAt);

    assertThat(
            rest.get("/api/v1/categories/" + id).bearer(member.token()).send().expect(200).path("category"))
        .isEqualTo(created);

    String newName = unique("High Fantasy");
    JsonNode updated =
        rest.put("/api/v1/categories/" + id)
            .bearer(librarian.token())
            .body(Map.of("name", newName))
            .send()
            .expect(200)
            .path("category");
    assertThat(updated.path("id").asText()).isEqualTo(id);
    assertThat(updated.path("name").asText()).isEqualTo(newName);
    assertThat(updated.path("description").asText("")).as("full replacement").isEmpty();
    assertThat(timestamp(updated, "createdAt")).isEqualTo(createdAt);
    assertThat(timestamp(updated, "updatedAt")).isAfterOrEqualTo(createdAt);

    // Renaming to its own name in another case is not a conflict with itself.
    rest.put("/api/v1/categories/" + id)
        .bearer(librarian.token())
        .body(Map.of("name", newName.toUpperCase()))
        .send()
        .expect(200);

    JsonNode list =
        rest.get("/api/v1/categories?name_query=" + encode(newName.toLowerCase()) + "&page_size=5")
            .bearer(member.token())
            .send()
            .expect(200);
    assertThat(list.path("total").asInt()).isEqualTo(1);
    assertThat(list.path("categories").get(0).path("id").asText()).isEqualTo(id);

    JsonNode deleted =
        rest.delete("/api/v1/categories/" + id).bearer(librarian.token()).send().expect(200);
    assertThat(deleted).as("DELETE answers the original's {success: true}").isEqualTo(SUCCESS);
    rest.get("/api/v1/categories/" + id).bearer(librarian.token()).send().expectError(404, 5);
    rest.delete("/api/v1/categories/" + id).bearer(librarian.token()).send().expectError(404, 5);
    JsonNode none =
        rest.get("/api/v1/categories?name_query=" + encode(newName)).bearer(member.token()).send().expect(200);
    assertThat(none.path("total").asInt()).isZero();
  }

  @Test
  void listCategoriesPagesWithTotal() {
    String tag = tag();
    for (String prefix : List.of("Poetry", "drama", "Essays")) {
      createCategory(prefix + " " + tag);
    }
    JsonNode first =
        rest.get("/api/v1/categories?name_query=" + encode(tag) + "&page=1&pageSize=2")
            .bearer(member.token())
            .send()
            .expect(200);
    JsonNode second =
        rest.get("/api/v1/categories?nameQuery=" + encode(tag) + "&page=2&page_size=2")
            .bearer(member.token())
            .send()
            .expect(200);
    assertThat(first.path("total").asInt()).isEqualTo(3);
    assertThat(second.path("total").asInt()).isEqualTo(3);
    assertThat(Rest.names(first.path("categories"))).containsExactly("drama " + tag, "Essays " + tag);
    assertThat(Rest.names(second.path("categories"))).containsExactly("Poetry " + tag);
  }

  @Test
  void aDuplicateCategoryNameInAnyLetterCaseIsA409() {
    String name = unique("Science Fiction");
    String firstId = createCategory(name);

    JsonNode conflict =
        rest.post("/api/v1/categories")
            .bearer(librarian.token())
            .body(Map.of("name", name.toUpperCase()))
            .send()
            .expectError(409, 6);
    assertThat(conflict.path("message").asText()).doesNotContainIgnoringCase("sql");
    rest.post("/api/v1/categories")
        .bearer(librarian.token())
        .body(Map.of("name", "  " + name.toLowerCase() + " "))
        .send()
        .expectError(409, 6);

    // Renaming another category onto it is the same conflict.
    String otherId = createCategory(unique("Horror"));
    rest.put("/api/v1/categories/" + otherId)
        .bearer(librarian.token())
        .body(Map.of("name", name.toLowerCase()))
        .send()
        .expectError(409, 6);

    // Only the first one has the name.
    JsonNode list =
        rest.get("/api/v1/categories?name_query=" + encode(name)).bearer(member.token()).send().expect(200);
    assertThat(list.path("total").asInt()).isEqualTo(1);
    assertThat(list.path("categories").get(0).path("id").asText()).isEqualTo(firstId);
  }

  // ---------------------------------------------------------------- item links

  @Test
  void itemLinksHaveSetSemantics() {
    String tag = tag();
    String a = createCategory("A " + tag);
    String b = createCategory("B " + tag);
    String c = createCategory("C " + tag);
    String item = UUID.randomUUID().toString();
    String other = UUID.randomUUID().toString();

    JsonNode first = updateItem(item, List.of(a, b)).expect(200);
    assertThat(first.path("itemId").asText()).isEqualTo(item);
    assertThat(Rest.texts(first.path("categoryIds"))).containsExactlyElementsOf(sorted(a, b));
    assertThat(Rest.texts(first.path("addedCategoryIds"))).containsExactlyElementsOf(sorted(a, b));
    assertThat(Rest.texts(first.path("removedCategoryIds"))).isEmpty();

    // The same set again (ids repeated and in another order): nothing added or removed.
    JsonNode repeat = updateItem(item, List.of(b, a, b)).expect(200);
    assertThat(Rest.texts(repeat.path("categoryIds"))).containsExactlyElementsOf(sorted(a, b));
    assertThat(Rest.texts(repeat.path("addedCategoryIds"))).isEmpty();
    assertThat(Rest.texts(repeat.path("removedCategoryIds"))).isEmpty();

    JsonNode moved = updateItem(item, List.of(b, c)).expect(200);
    assertThat(Rest.texts(moved.path("categoryIds"))).containsExactlyElementsOf(sorted(b, c));
    assertThat(Rest.texts(moved.path("addedCategoryIds"))).containsExactly(c);
    assertThat(Rest.texts(moved.path("removedCategoryIds"))).containsExactly(a);

    // Categories of the item, ordered by name.
    assertThat(itemCategoryNames(item)).containsExactly("B " + tag, "C " + tag);
    // Another item type is another item.
    JsonNode asArticle =
        rest.get("/api/v1/items/" + item + "/categories?itemType=article")
            .bearer(member.token())
            .send()
            .expect(200);
    assertThat(asArticle.path("categories").size()).isZero();

    // Bulk add keeps what is there and reports only the new links.
    JsonNode bulk =
        rest.post("/api/v1/categories/bulk-add-item")
            .bearer(librarian.token())
            .body(Map.of("itemId", item, "itemType", "book", "categoryIds", List.of(a, b)))
            .send()
            .expect(200);
    assertThat(bulk.path("itemId").asText()).isEqualTo(item);
    assertThat(Rest.texts(bulk.path("addedCategoryIds"))).containsExactly(a);
    assertThat(Rest.texts(bulk.path("categoryIds"))).containsExactlyElementsOf(sorted(a, b, c));
    JsonNode bulkAgain =
        rest.post("/api/v1/categories/bulk-add-item")
            .bearer(librarian.token())
            .body(Map.of("itemId", item, "itemType", "book", "categoryIds", List.of(a)))
            .send()
            .expect(200);
    assertThat(Rest.texts(bulkAgain.path("addedCategoryIds"))).isEmpty();
    assertThat(itemCategoryNames(item)).containsExactly("A " + tag, "B " + tag, "C " + tag);

    // A second item, in A only.
    updateItem(other, List.of(a)).expect(200);

    JsonNode inAOrB = itemsByCategories("category_ids=" + a + "&category_ids=" + b);
    assertThat(inAOrB.path("total").asInt()).as("%s", inAOrB).isEqualTo(2);
    assertThat(itemIds(inAOrB)).containsExactlyElementsOf(sorted(item, other));
    inAOrB.path("items").forEach(i -> assertThat(i.path("itemType").asText()).isEqualTo("book"));

    JsonNode inC = itemsByCategories("category_ids=" + c);
    assertThat(inC.path("total").asInt()).isEqualTo(1);
    assertThat(itemIds(inC)).containsExactly(item);

    JsonNode inAAndC = itemsByCategories("categoryIds=" + a + "&categoryIds=" + c + "&match_all=true");
    assertThat(inAAndC.path("total").asInt()).isEqualTo(1);
    assertThat(itemIds(inAAndC)).containsExactly(item);

    JsonNode paged =
        itemsByCategories("category_ids=" + a + "&item_type=book&page=2&page_size=1");
    assertThat(paged.path("total").asInt()).isEqualTo(2);
    assertThat(paged.path("page").asInt()).isEqualTo(2);
    assertThat(paged.path("pageSize").asInt()).isEqualTo(1);
    assertThat(itemIds(paged)).containsExactly(sorted(item, other).get(1));

    JsonNode otherType = itemsByCategories("category_ids=" + a + "&item_type=article");
    assertThat(otherType.path("total").asInt()).isZero();

    // An empty set removes the item from every category.
    JsonNode emptied = updateItem(item, List.of()).expect(200);
    assertThat(Rest.texts(emptied.path("categoryIds"))).isEmpty();
    assertThat(Rest.texts(emptied.path("removedCategoryIds"))).containsExactlyElementsOf(sorted(a, b, c));
    assertThat(itemCategoryNames(item)).isEmpty();
    assertThat(itemIds(itemsByCategories("category_ids=" + a))).containsExactly(other);

    // Deleting a category deletes its links.
    rest.delete("/api/v1/categories/" + a).bearer(librarian.token()).send().expect(200);
    assertThat(itemCategoryNames(other)).isEmpty();
  }

  @Test
  void anUnknownCategoryRejectsTheWholeChangeNamingTheId() {
    String tag = tag();
    String a = createCategory("A " + tag);
    String b = createCategory("B " + tag);
    String unknown = UUID.randomUUID().toString();
    String item = UUID.randomUUID().toString();
    updateItem(item, List.of(a)).expect(200);

    // The violation names the unknown id: its position in the request and the id itself.
    JsonNode error = updateItem(item, List.of(b, unknown)).expectViolation("category_ids[1]");
    assertThat(Rest.violatedFields(error)).containsExactly("category_ids[1]");
    assertThat(error.path("message").asText()).contains(unknown);
    // Nothing applied: A is kept, B not added.
    assertThat(itemCategoryNames(item)).containsExactly("A " + tag);

    JsonNode bulkError =
        rest.post("/api/v1/categories/bulk-add-item")
            .bearer(librarian.token())
            .body(Map.of("itemId", item, "itemType", "book", "categoryIds", List.of(unknown, b)))
            .send()
            .expectViolation("category_ids[0]");
    assertThat(Rest.violatedFields(bulkError)).containsExactly("category_ids[0]");
    assertThat(itemCategoryNames(item)).containsExactly("A " + tag);

    // Not a UUID at all.
    updateItem(item, List.of(a, "not-a-uuid")).expectViolation("category_ids[1]");
    assertThat(itemCategoryNames(item)).containsExactly("A " + tag);
  }

  // ---------------------------------------------------------------- the original's clients

  /**
   * Requests exactly as a client of the original API sends them (its JSON names, its RFC 3339
   * timestamp for a birth date), reading the fields the original answered with.
   */
  @Test
  void theOriginalApisClientsWorkUnchanged() {
    String name = unique("Frank Herbert");
    JsonNode created =
        rest.post("/api/v1/authors")
            .bearer(librarian.token())
            .body(
                "{\"name\": \"" + name + "\", \"biography\": \"Wrote Dune.\","
                    + " \"birthDate\": \"1920-10-08T00:00:00Z\"}")
            .send()
            .expect(200)
            .path("author");
    String authorId = created.path("id").asText();
    assertThat(created.path("birthDate").asText()).as("stored as the date").isEqualTo("1920-10-08");
    assertThat(
            rest.get("/api/v1/authors/" + authorId).bearer(member.token()).send().expect(200)
                .path("author").path("birthDate").asText())
        .isEqualTo("1920-10-08");
    JsonNode updated =
        rest.put("/api/v1/authors/" + authorId)
            .bearer(librarian.token())
            .body(
                "{\"name\": \"" + name + "\", \"biography\": \"Wrote Dune.\","
                    + " \"birthDate\": \"1920-10-09T00:00:00Z\"}")
            .send()
            .expect(200)
            .path("author");
    assertThat(updated.path("birthDate").asText()).isEqualTo("1920-10-09");
    // A timestamp at another time of day is refused, naming the field; nothing changes.
    rest.put("/api/v1/authors/" + authorId)
        .bearer(librarian.token())
        .body("{\"name\": \"" + name + "\", \"birthDate\": \"1920-10-08T09:30:00Z\"}")
        .send()
        .expectViolation("birth_date");
    rest.post("/api/v1/authors")
        .bearer(librarian.token())
        .body("{\"name\": \"" + name + "\", \"birthDate\": \"1920-10-08T00:00:00+01:00\"}")
        .send()
        .expectViolation("birth_date");
    assertThat(
            rest.get("/api/v1/authors/" + authorId).bearer(member.token()).send().expect(200)
                .path("author").path("birthDate").asText())
        .isEqualTo("1920-10-09");
    // Its clients wrote an unknown birth date as null (an unset Timestamp).
    JsonNode unknownBirth =
        rest.post("/api/v1/authors")
            .bearer(librarian.token())
            .body("{\"name\": \"" + name + "\", \"biography\": \"\", \"birthDate\": null}")
            .send()
            .expect(200)
            .path("author");
    assertThat(unknownBirth.path("birthDate").asText()).isEmpty();

    String tag = tag();
    String sf = createCategory("SF " + tag);
    String classics = createCategory("Classics " + tag);
    String item = UUID.randomUUID().toString();
    String other = UUID.randomUUID().toString();
    JsonNode replaced =
        rest.put("/api/v1/items/" + item + "/categories")
            .bearer(librarian.token())
            .body("{\"itemType\": \"book\", \"categoryIds\": [\"" + sf + "\"]}")
            .send()
            .expect(200);
    assertThat(replaced.path("success").asBoolean()).as("success in %s", replaced).isTrue();
    assertThat(Rest.texts(replaced.path("addedCategoryIds"))).containsExactly(sf);
    assertThat(Rest.texts(replaced.path("removedCategoryIds"))).isEmpty();
    JsonNode bulk =
        rest.post("/api/v1/categories/bulk-add-item")
            .bearer(librarian.token())
            .body(
                "{\"itemId\": \"" + other + "\", \"itemType\": \"book\","
                    + " \"categoryIds\": [\"" + sf + "\", \"" + classics + "\"]}")
            .send()
            .expect(200);
    assertThat(bulk.path("success").asBoolean()).as("success in %s", bulk).isTrue();

    JsonNode items =
        rest.get("/api/v1/categories/items?category_ids=" + sf + "&item_type=book")
            .bearer(member.token())
            .send()
            .expect(200);
    assertThat(Rest.texts(items.path("itemIds")))
        .as("the original's item_ids, in the order of items[]")
        .containsExactlyElementsOf(sorted(item, other))
        .containsExactlyElementsOf(itemIds(items));
    JsonNode onlyOther =
        rest.get("/api/v1/categories/items?categoryIds=" + classics + "&itemType=book")
            .bearer(member.token())
            .send()
            .expect(200);
    assertThat(Rest.texts(onlyOther.path("itemIds"))).containsExactly(other);

    assertThat(rest.delete("/api/v1/categories/" + classics).bearer(librarian.token()).send().expect(200))
        .isEqualTo(SUCCESS);
    assertThat(rest.delete("/api/v1/authors/" + authorId).bearer(librarian.token()).send().expect(200))
        .isEqualTo(SUCCESS);
  }

  // ---------------------------------------------------------------- errors

  @Test
  void badIdsAreA400NamingTheField() {
    String token = librarian.token();
    rest.get("/api/v1/authors/not-a-uuid").bearer(token).send().expectViolation("id");
    rest.put("/api/v1/authors/not-a-uuid")
        .bearer(token)
        .body(Map.of("name", "Someone"))
        .send()
        .expectViolation("id");
    rest.delete("/api/v1/authors/not-a-uuid").bearer(token).send().expectViolation("id");
    rest.get("/api/v1/categories/12345").bearer(token).send().expectViolation("id");
    rest.put("/api/v1/categories/12345")
        .bearer(token)
        .body(Map.of("name", "Something"))
        .send()
        .expectViolation("id");
    rest.delete("/api/v1/categories/12345").bearer(token).send().expectViolation("id");
    rest.put("/api/v1/items/not-a-uuid/categories")
        .bearer(token)
        .body(Map.of("itemType", "book", "categoryIds", List.of()))
        .send()
        .expectViolation("item_id");
    rest.get("/api/v1/items/not-a-uuid/categories?item_type=book")
        .bearer(token)
        .send()
        .expectViolation("item_id");
    rest.get("/api/v1/categories/items?category_ids=nope")
        .bearer(token)
        .send()
        .expectViolation("category_ids[0]");
    // A well-formed id of nothing is a 404, not a 400.
    rest.get("/api/v1/authors/" + UUID.randomUUID()).bearer(token).send().expectError(404, 5);
    rest.get("/api/v1/categories/" + UUID.randomUUID()).bearer(token).send().expectError(404, 5);
  }

  @Test
  void badFieldsAreA400NamingEachField() {
    String token = librarian.token();
    rest.post("/api/v1/authors").bearer(token).body(Map.of("name", "   ")).send().expectViolation("name");
    rest.post("/api/v1/authors").bearer(token).body("{}").send().expectViolation("name");
    rest.post("/api/v1/authors")
        .bearer(token)
        .body(Map.of("name", "From The Future", "birthDate", LocalDate.now().plusDays(2).toString()))
        .send()
        .expectViolation("birth_date");
    rest.post("/api/v1/authors")
        .bearer(token)
        .body(Map.of("name", "No Such Day", "birthDate", "1929-02-30"))
        .send()
        .expectViolation("birth_date");
    // Every broken field at once.
    rest.post("/api/v1/authors")
        .bearer(token)
        .body(Map.of("name", "", "biography", "x".repeat(2001), "birthDate", "21/10/1929"))
        .send()
        .expectViolation("name", "biography", "birth_date");
    rest.post("/api/v1/authors")
        .bearer(token)
        .body(Map.of("name", "x".repeat(201)))
        .send()
        .expectViolation("name");

    String authorId = createAuthor(unique("Valid Author"));
    rest.put("/api/v1/authors/" + authorId)
        .bearer(token)
        .body(Map.of("name", " "))
        .send()
        .expectViolation("name");
    rest.put("/api/v1/authors/" + authorId)
        .bearer(token)
        .body(Map.of("name", "Valid", "birthDate", LocalDate.now().plusYears(1).toString()))
        .send()
        .expectViolation("birth_date");
    // The failed updates changed nothing.
    JsonNode author =
        rest.get("/api/v1/authors/" + authorId).bearer(token).send().expect(200).path("author");
    assertThat(author.path("name").asText()).startsWith("Valid Author");

    rest.post("/api/v1/categories").bearer(token).body(Map.of("name", "")).send().expectViolation("name");
    rest.post("/api/v1/categories")
        .bearer(token)
        .body(Map.of("name", "Fine", "description", "d".repeat(2001)))
        .send()
        .expectViolation("description");
    rest.put("/api/v1/items/" + UUID.randomUUID() + "/categories")
        .bearer(token)
        .body(Map.of("categoryIds", List.of()))
        .send()
        .expectViolation("item_type");
    rest.get("/api/v1/items/" + UUID.randomUUID() + "/categories")
        .bearer(token)
        .send()
        .expectViolation("item_type");
    rest.post("/api/v1/categories/bulk-add-item")
        .bearer(token)
        .body(Map.of("itemId", UUID.randomUUID().toString(), "itemType", "book", "categoryIds", List.of()))
        .send()
        .expectViolation("category_ids");
    rest.get("/api/v1/categories/items").bearer(token).send().expectViolation("category_ids");
  }

  @Test
  void pageSizeAbove100IsA400() {
    String token = member.token();
    rest.get("/api/v1/authors?page_size=101").bearer(token).send().expectViolation("page_size");
    rest.get("/api/v1/authors?pageSize=101").bearer(token).send().expectViolation("page_size");
    rest.get("/api/v1/authors?page=-1").bearer(token).send().expectViolation("page");
    rest.get("/api/v1/categories?page_size=101").bearer(token).send().expectViolation("page_size");
    rest.get("/api/v1/categories/items?category_ids=" + UUID.randomUUID() + "&page_size=101")
        .bearer(token)
        .send()
        .expectViolation("page_size");
    // 100 is the bound itself, and allowed.
    assertThat(
            rest.get("/api/v1/authors?page_size=100").bearer(token).send().expect(200).path("pageSize").asInt())
        .isEqualTo(100);
  }

  // ---------------------------------------------------------------- roles

  @Test
  void aMemberReadsButCannotWrite() {
    String tag = tag();
    String authorId = createAuthor("Octavia Butler " + tag);
    String categoryId = createCategory("Afrofuturism " + tag);
    String item = UUID.randomUUID().toString();
    updateItem(item, List.of(categoryId)).expect(200);
    String token = member.token();

    rest.get("/api/v1/authors/" + authorId).bearer(token).send().expect(200);
    rest.get("/api/v1/authors?name_query=" + encode(tag)).bearer(token).send().expect(200);
    rest.get("/api/v1/categories/" + categoryId).bearer(token).send().expect(200);
    rest.get("/api/v1/categories").bearer(token).send().expect(200);
    rest.get("/api/v1/items/" + item + "/categories?item_type=book").bearer(token).send().expect(200);
    rest.get("/api/v1/categories/items?category_ids=" + categoryId).bearer(token).send().expect(200);

    rest.post("/api/v1/authors").bearer(token).body(Map.of("name", "Member " + tag)).send().expectError(403, 7);
    rest.put("/api/v1/authors/" + authorId)
        .bearer(token)
        .body(Map.of("name", "Renamed " + tag))
        .send()
        .expectError(403, 7);
    rest.delete("/api/v1/authors/" + authorId).bearer(token).send().expectError(403, 7);
    rest.post("/api/v1/categories").bearer(token).body(Map.of("name", "Member " + tag)).send().expectError(403, 7);
    rest.put("/api/v1/categories/" + categoryId)
        .bearer(token)
        .body(Map.of("name", "Renamed " + tag))
        .send()
        .expectError(403, 7);
    rest.delete("/api/v1/categories/" + categoryId).bearer(token).send().expectError(403, 7);
    rest.put("/api/v1/items/" + item + "/categories")
        .bearer(token)
        .body(Map.of("itemType", "book", "categoryIds", List.of()))
        .send()
        .expectError(403, 7);
    rest.post("/api/v1/categories/bulk-add-item")
        .bearer(token)
        .body(Map.of("itemId", UUID.randomUUID().toString(), "itemType", "book", "categoryIds", List.of(categoryId)))
        .send()
        .expectError(403, 7);

    // None of it happened.
    JsonNode author =
        rest.get("/api/v1/authors/" + authorId).bearer(token).send().expect(200).path("author");
    assertThat(author.path("name").asText()).isEqualTo("Octavia Butler " + tag);
    JsonNode category =
        rest.get("/api/v1/categories/" + categoryId).bearer(token).send().expect(200).path("category");
    assertThat(category.path("name").asText()).isEqualTo("Afrofuturism " + tag);
    assertThat(itemCategoryNames(item)).containsExactly("Afrofuturism " + tag);
    assertThat(
            rest.get("/api/v1/authors?name_query=" + encode(tag)).bearer(token).send().expect(200).path("total").asInt())
        .isEqualTo(1);
  }

  @Test
  void withoutATokenEverythingIsA401() {
    String authorId = createAuthor(unique("Anonymous Target"));
    String categoryId = createCategory(unique("Anonymous Target"));
    String item = UUID.randomUUID().toString();
    Map<String, Rest.Call> calls = new LinkedHashMap<>();
    calls.put("get author", rest.get("/api/v1/authors/" + authorId));
    calls.put("list authors", rest.get("/api/v1/authors"));
    calls.put("create author", rest.post("/api/v1/authors").body(Map.of("name", "Nobody")));
    calls.put("update author", rest.put("/api/v1/authors/" + authorId).body(Map.of("name", "Nobody")));
    calls.put("delete author", rest.delete("/api/v1/authors/" + authorId));
    calls.put("get category", rest.get("/api/v1/categories/" + categoryId));
    calls.put("list categories", rest.get("/api/v1/categories"));
    calls.put("create category", rest.post("/api/v1/categories").body(Map.of("name", "Nobody")));
    calls.put("update category", rest.put("/api/v1/categories/" + categoryId).body(Map.of("name", "Nobody")));
    calls.put("delete category", rest.delete("/api/v1/categories/" + categoryId));
    calls.put(
        "update item",
        rest.put("/api/v1/items/" + item + "/categories")
            .body(Map.of("itemType", "book", "categoryIds", List.of(categoryId))));
    calls.put(
        "bulk add",
        rest.post("/api/v1/categories/bulk-add-item")
            .body(Map.of("itemId", item, "itemType", "book", "categoryIds", List.of(categoryId))));
    calls.put("item categories", rest.get("/api/v1/items/" + item + "/categories?item_type=book"));
    calls.put("items by categories", rest.get("/api/v1/categories/items?category_ids=" + categoryId));
    calls.forEach((what, call) -> call.send().expectError(401, 16));

    // A token that is not a valid JWT is no better.
    rest.get("/api/v1/authors/" + authorId).bearer("not.a.token").send().expectError(401, 16);
    // And nothing changed.
    rest.get("/api/v1/authors/" + authorId).bearer(member.token()).send().expect(200);
    rest.get("/api/v1/categories/" + categoryId).bearer(member.token()).send().expect(200);
    assertThat(itemCategoryNames(item)).isEmpty();
  }

  // ---------------------------------------------------------------- helpers

  private static String createAuthor(String name) {
    return rest.createAuthor(librarian.token(), name);
  }

  private static String createCategory(String name) {
    return rest.createCategory(librarian.token(), name);
  }

  private static Rest.Reply updateItem(String item, List<String> categoryIds) {
    return rest.put("/api/v1/items/" + item + "/categories")
        .bearer(librarian.token())
        .body(Map.of("itemType", "book", "categoryIds", categoryIds))
        .send();
  }

  private static List<String> itemCategoryNames(String item) {
    return Rest.names(
        rest.get("/api/v1/items/" + item + "/categories?item_type=book")
            .bearer(member.token())
            .send()
            .expect(200)
            .path("categories"));
  }

  private static JsonNode itemsByCategories(String query) {
    return rest.get("/api/v1/categories/items?" + query).bearer(member.token()).send().expect(200);
  }

  private static List<String> itemIds(JsonNode page) {
    List<String> ids = new ArrayList<>();
    page.path("items").forEach(i -> ids.add(i.path("itemId").asText()));
    return ids;
  }


  /** Ids ordered as the server orders them: by UUID value (PostgreSQL's uuid order). */
  private static List<String> sorted(String... ids) {
    return List.of(ids).stream()
        .sorted(Comparator.comparing(CatalogRestTest::unsignedUuidKey))
        .toList();
  }

  /** PostgreSQL compares uuids bytewise (unsigned), which is the order of their hex text. */
  private static String unsignedUuidKey(String id) {
    return id.toLowerCase();
  }

  private static Instant timestamp(JsonNode message, String field) {
    JsonNode value = message.path(field);
    assertThat(value.isTextual()).as("%s is an RFC 3339 string in %s", field, message).isTrue();
    assertThat(value.asText()).matches(RFC_3339);
    return OffsetDateTime.parse(value.asText()).toInstant();
  }

  private static String tag() {
    return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  private static String unique(String name) {
    return name + " " + tag();
  }
}
