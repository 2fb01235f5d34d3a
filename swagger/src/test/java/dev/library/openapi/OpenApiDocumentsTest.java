package dev.library.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenApiDocumentsTest {

  /** The module folder, where the documents are checked in (Surefire runs there). */
  private static final Path MODULE = Path.of(System.getProperty("basedir", "."));

  private static Map<String, String> generated;
  /** The generated documents as an independent parser reads them, by document name. */
  private static final Map<String, OpenAPI> parsed = new LinkedHashMap<>();

  @BeforeAll
  static void generate() {
    generated = OpenApiGenerator.fromClasspath().render();
    for (String name : OpenApiGenerator.SERVICES.keySet()) {
      SwaggerParseResult result =
          new OpenAPIV3Parser().readContents(generated.get(name + ".swagger.json"), null, options());
      parsed.put(name, result.getOpenAPI());
    }
  }

  @Test
  void checkedInDocumentsAreUpToDate() throws IOException {
    assertThat(generated.keySet())
        .contains(
            "auth.swagger.json", "author.swagger.json", "category.swagger.json", "book.swagger.json")
        .containsExactlyInAnyOrderElementsOf(DocsAssets.DOCUMENTS);
    for (Map.Entry<String, String> document : generated.entrySet()) {
      Path file = MODULE.resolve(document.getKey());
      String committed =
          Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "(missing)";
      if (!committed.equals(document.getValue())) {
        fail("swagger/" + document.getKey() + " is stale: run `make swagger`");
      }
    }
  }

  @Test
  void generationIsDeterministic() {
    assertThat(OpenApiGenerator.fromClasspath().render()).isEqualTo(generated);
  }

  @Test
  void everyDocumentPassesAnIndependentParser() {
    for (Map.Entry<String, String> document : generated.entrySet()) {
      SwaggerParseResult result =
          new OpenAPIV3Parser().readContents(document.getValue(), null, options());
      assertThat(result.getMessages()).as(document.getKey()).isEmpty();
      assertThat(result.getOpenAPI()).as(document.getKey()).isNotNull();
      assertThat(result.getOpenAPI().getOpenapi()).startsWith("3.0.");
    }
  }

  /** DESIGN.md §1: the REST API of the original system, which must not change. */
  @ParameterizedTest(name = "{0}: {1} {2} -> {3}")
  @CsvSource({
    "auth, POST, /api/v1/auth/register, Register",
    "auth, POST, /api/v1/auth/login, Login",
    "auth, POST, /api/v1/auth/refresh, RefreshToken",
    "auth, POST, /api/v1/auth/verify, VerifyToken",
    "author, POST, /api/v1/authors, CreateAuthor",
    "author, GET, /api/v1/authors/{id}, GetAuthor",
    "author, PUT, /api/v1/authors/{id}, UpdateAuthor",
    "author, DELETE, /api/v1/authors/{id}, DeleteAuthor",
    "author, GET, /api/v1/authors, ListAuthors",
    "category, POST, /api/v1/categories, CreateCategory",
    "category, GET, /api/v1/categories/{id}, GetCategory",
    "category, PUT, /api/v1/categories/{id}, UpdateCategory",
    "category, DELETE, /api/v1/categories/{id}, DeleteCategory",
    "category, GET, /api/v1/categories, ListCategories",
    "category, PUT, /api/v1/items/{item_id}/categories, UpdateItemCategories",
    "category, POST, /api/v1/categories/bulk-add-item, BulkAddItemToCategories",
    "category, GET, /api/v1/items/{item_id}/categories, GetItemCategories",
    "category, GET, /api/v1/categories/items, GetItemsByCategories",
    "book, POST, /api/v1/books, CreateBook",
    "book, GET, /api/v1/books/{id}, GetBook",
    "book, PUT, /api/v1/books/{id}, UpdateBook",
    "book, DELETE, /api/v1/books/{id}, DeleteBook",
    "book, GET, /api/v1/books, ListBooks",
    "book, POST, /api/v1/books/{id}/borrow, BorrowBook",
    "book, POST, /api/v1/books/{id}/return, ReturnBook",
    "book, GET, /api/v1/books/{id}/recommendations, GetBookRecommendations",
  })
  void everyOriginalRestCallIsDocumented(
      String document, String method, String path, String operationId) {
    Operation operation = operation(document, method, path);
    assertThat(operation.getOperationId()).isEqualTo(operationId);
    assertThat(operation.getSummary()).isNotBlank();
    assertThat(operation.getDescription()).startsWith(operation.getSummary().split(" ")[0]);
    assertThat(operation.getTags()).hasSize(1);
    for (String variable : variables(path)) {
      assertThat(operation.getParameters())
          .anySatisfy(
              parameter -> {
                assertThat(parameter.getIn()).isEqualTo("path");
                assertThat(parameter.getName()).isEqualTo(variable);
                assertThat(parameter.getRequired()).isTrue();
              });
    }
  }

  @Test
  void onlyTheTokenIssuingCallsArePublic() {
    List<String> publicOperations = new ArrayList<>();
    forEachOperation(
        (document, operation) -> {
          List<SecurityRequirement> security = operation.getSecurity();
          assertThat(security).as(operation.getOperationId()).isNotNull();
          if (security.isEmpty()) {
            publicOperations.add(document + "." + operation.getOperationId());
          } else {
            assertThat(security).as(operation.getOperationId()).hasSize(1);
            assertThat(security.get(0)).containsOnlyKeys("bearerAuth");
          }
        });
    // Logout is public like RefreshToken: the refresh token in its body is the credential.
    assertThat(publicOperations)
        .containsExactlyInAnyOrder(
            "auth.Register", "auth.Login", "auth.RefreshToken", "auth.VerifyToken", "auth.Logout");
    for (OpenAPI document : parsed.values()) {
      var scheme = document.getComponents().getSecuritySchemes().get("bearerAuth");
      assertThat(scheme.getType().toString()).isEqualTo("http");
      assertThat(scheme.getScheme()).isEqualTo("bearer");
      assertThat(scheme.getBearerFormat()).isEqualTo("JWT");
    }
  }

  @Test
  void internalRpcsWithoutHttpRulesAreLeftOut() {
    List<String> operationIds = new ArrayList<>();
    forEachOperation((document, operation) -> operationIds.add(operation.getOperationId()));
    assertThat(operationIds)
        .doesNotContain("SearchAuthorIds", "CountBooksByAuthor")
        .doesNotHaveDuplicates();
  }

  @Test
  void everyDocumentCallsTheOriginItWasLoadedFrom() {
    parsed.forEach(
        (name, document) -> {
          assertThat(document.getServers()).hasSize(1);
          assertThat(document.getServers().get(0).getUrl()).as(name).isEqualTo("/");
        });
  }

  @Test
  void requestFieldsOfGetCallsAreQueryParameters() {
    Operation listBooks = operation("book", "GET", "/api/v1/books");
    assertThat(listBooks.getParameters())
        .extracting(Parameter::getName)
        .containsExactly(
            "page", "page_size", "title_query", "author_query", "category_ids", "isbn_query",
            "publication_year_start", "publication_year_end", "publisher_query",
            "available_only", "sort_by", "sort_desc", "page_token", "query", "facet_limit");
    Parameter categoryIds = parameter(listBooks, "category_ids");
    assertThat(categoryIds.getIn()).isEqualTo("query");
    assertThat(categoryIds.getSchema().getType()).isEqualTo("array");
    assertThat(categoryIds.getSchema().getItems().getType()).isEqualTo("string");
    assertThat(categoryIds.getStyle()).isEqualTo(Parameter.StyleEnum.FORM);
    assertThat(categoryIds.getExplode()).isTrue();
    assertThat(parameter(listBooks, "page").getSchema().getFormat()).isEqualTo("int32");
    assertThat(parameter(listBooks, "sort_by").getSchema().get$ref())
        .endsWith("/library.book.v1.BookSortField");
    Schema<?> sortField = schema("book", "library.book.v1.BookSortField");
    assertThat(sortField.getEnum())
        .extracting(Object::toString)
        .contains("CREATED_AT", "TITLE", "AUTHOR", "PUBLICATION_YEAR", "RELEVANCE");

    Operation byCategories = operation("category", "GET", "/api/v1/categories/items");
    assertThat(parameter(byCategories, "category_ids").getRequired()).isTrue();

    Operation itemCategories = operation("category", "GET", "/api/v1/items/{item_id}/categories");
    assertThat(itemCategories.getParameters())
        .extracting(Parameter::getName, Parameter::getIn)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("item_id", "path"),
            org.assertj.core.groups.Tuple.tuple("item_type", "query"));

    Operation recommendations = operation("book", "GET", "/api/v1/books/{id}/recommendations");
    assertThat(parameter(recommendations, "limit").getIn()).isEqualTo("query");
    assertThat(parameter(recommendations, "limit").getDescription()).contains("1 to 20");
  }

  @Test
  void bodiesCarryTheRequestWithoutItsPathFields() {
    Operation updateBook = operation("book", "PUT", "/api/v1/books/{id}");
    assertThat(updateBook.getRequestBody().getRequired()).isTrue();
    Schema<?> body = bodySchema("book", updateBook);
    assertThat(body.getProperties())
        .doesNotContainKey("id")
        .containsKeys("title", "authorId", "isbn", "totalCopies", "categoryIds");
    assertThat(body.getRequired()).contains("title", "authorId").doesNotContain("id");

    Operation updateLinks =
        operation("category", "PUT", "/api/v1/items/{item_id}/categories");
    assertThat(bodySchema("category", updateLinks).getProperties())
        .doesNotContainKey("itemId")
        .containsKeys("itemType", "categoryIds");

    Operation createBook = operation("book", "POST", "/api/v1/books");
    assertThat(createBook.getParameters()).isNullOrEmpty();
    assertThat(bodySchema("book", createBook).getProperties()).containsKey("title");
  }

  @Test
  void messagesFollowTheProto3JsonMapping() {
    Schema<?> book = schema("book", "library.book.v1.Book");
    assertThat(book.getProperties())
        .containsKeys("id", "authorId", "publicationYear", "totalCopies", "availableCopies",
            "categoryIds", "createdAt", "updatedAt");
    Schema<?> createdAt = property(book, "createdAt");
    assertThat(createdAt.getType()).isEqualTo("string");
    assertThat(createdAt.getFormat()).isEqualTo("date-time");
    assertThat(createdAt.getReadOnly()).isTrue();
    assertThat(property(book, "id").getReadOnly()).isTrue();
    assertThat(property(book, "title").getReadOnly()).isNull();
    assertThat(property(book, "title").getDescription()).contains("1 to 500 characters");
    Schema<?> author = property(book, "author");
    assertThat(author.getReadOnly()).isTrue();
    assertThat(author.getAllOf()).singleElement()
        .satisfies(ref -> assertThat(ref.get$ref()).endsWith("/library.author.v1.Author"));
    assertThat(property(book, "categories").getItems().get$ref())
        .endsWith("/library.category.v1.Category");
    assertThat(book.getDescription()).isEqualTo("A title in the catalog and its copies.");

    Schema<?> createRequest = schema("book", "library.book.v1.CreateBookRequest");
    assertThat(createRequest.getRequired())
        .containsExactlyInAnyOrder("title", "authorId", "isbn", "totalCopies");

    Schema<?> register = schema("auth", "library.auth.v1.RegisterRequest");
    assertThat(property(register, "password").getWriteOnly()).isTrue();
    Schema<?> roles = property(schema("auth", "library.auth.v1.VerifyTokenResponse"), "roles");
    assertThat(roles.getType()).isEqualTo("array");
    assertThat(schema("auth", "library.auth.v1.Role").getEnum())
        .extracting(Object::toString)
        .containsExactly("ROLE_UNSPECIFIED", "MEMBER", "LIBRARIAN", "ADMIN");
  }

  @Test
  void operationsAreDescribedByTheirProtoComments() {
    Operation getBook = operation("book", "GET", "/api/v1/books/{id}");
    assertThat(getBook.getSummary())
        .isEqualTo("Returns one book, with its author and categories embedded.");
    assertThat(getBook.getDescription()).contains("* NOT_FOUND: no book has that id.");
    Operation refresh = operation("auth", "POST", "/api/v1/auth/refresh");
    assertThat(refresh.getSummary())
        .isEqualTo("Exchanges a refresh token for a new access token and a new refresh token.");
    assertThat(parsed.get("book").getTags()).singleElement()
        .satisfies(tag -> assertThat(tag.getName()).isEqualTo("BookService"));
    assertThat(parsed.get("book").getInfo().getDescription()).startsWith("The book catalog");
  }

  @Test
  void failuresReturnAGoogleRpcStatus() {
    forEachOperation(
        (document, operation) -> {
          ApiResponse ok = operation.getResponses().get("200");
          assertThat(ok.getContent().get("application/json").getSchema().get$ref()).isNotNull();
          ApiResponse error = operation.getResponses().get("default");
          assertThat(error.getContent().get("application/json").getSchema().get$ref())
              .endsWith("/google.rpc.Status");
        });
    Schema<?> status = schema("book", "google.rpc.Status");
    assertThat(status.getProperties()).containsOnlyKeys("code", "message", "details");
    assertThat(property(status, "details").getItems().get$ref())
        .endsWith("/google.protobuf.Any");
    assertThat(schema("book", "google.protobuf.Any").getProperties()).containsKey("@type");
  }

  private static ParseOptions options() {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    options.setValidateInternalRefs(true);
    return options;
  }

  private static Operation operation(String document, String method, String path) {
    PathItem item = parsed.get(document).getPaths().get(path);
    assertThat(item).as("%s has %s", document, path).isNotNull();
    Operation operation =
        item.readOperationsMap().get(PathItem.HttpMethod.valueOf(method.toUpperCase()));
    assertThat(operation).as("%s has %s %s", document, method, path).isNotNull();
    return operation;
  }

  private static void forEachOperation(
      java.util.function.BiConsumer<String, Operation> consumer) {
    parsed.forEach(
        (name, document) ->
            document.getPaths().values().stream()
                .flatMap(item -> item.readOperations().stream())
                .forEach(operation -> consumer.accept(name, operation)));
  }

  private static Parameter parameter(Operation operation, String name) {
    return operation.getParameters().stream()
        .filter(parameter -> parameter.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(operation.getOperationId() + " lacks " + name));
  }

  private static Schema<?> bodySchema(String document, Operation operation) {
    String ref =
        operation.getRequestBody().getContent().get("application/json").getSchema().get$ref();
    return schema(document, ref.substring(ref.lastIndexOf('/') + 1));
  }

  private static Schema<?> schema(String document, String name) {
    Schema<?> schema = parsed.get(document).getComponents().getSchemas().get(name);
    assertThat(schema).as("%s has schema %s", document, name).isNotNull();
    return schema;
  }

  private static Schema<?> property(Schema<?> schema, String name) {
    Schema<?> property = (Schema<?>) schema.getProperties().get(name);
    assertThat(property).as("property %s", name).isNotNull();
    return property;
  }

  private static List<String> variables(String path) {
    List<String> variables = new ArrayList<>();
    var matcher = java.util.regex.Pattern.compile("\\{([^}]+)}").matcher(path);
    while (matcher.find()) {
      variables.add(matcher.group(1));
    }
    return variables;
  }
}
