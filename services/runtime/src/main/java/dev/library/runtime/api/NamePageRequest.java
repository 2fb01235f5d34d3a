package dev.library.runtime.api;

import dev.library.runtime.db.NameOrderedPages;
import dev.library.runtime.errors.FieldViolations;
import java.util.Optional;

/**
 * A checked "page of things by name" request (ListAuthors, ListCategories): the paging (number or
 * token) and, when a {@code name_query} is given, the LIKE pattern that finds it anywhere in a
 * name.
 */
public record NamePageRequest(PageRequest page, Optional<String> namePattern) {
  public static NamePageRequest of(
      PageTokens tokens,
      String list,
      int page,
      int pageSize,
      String pageToken,
      String nameQuery,
      int maxLength) {
    FieldViolations violations = new FieldViolations();
    String query = Texts.optional("name_query", nameQuery, maxLength, violations);
    PageRequest paging =
        PageRequest.of(
            tokens,
            list,
            "name_query=" + query,
            page,
            pageSize,
            pageToken,
            NameOrderedPages.ORDER.size(),
            violations);
    violations.throwIfAny();
    return new NamePageRequest(
        paging, query.isEmpty() ? Optional.empty() : Optional.of(Texts.containsPattern(query)));
  }
}
