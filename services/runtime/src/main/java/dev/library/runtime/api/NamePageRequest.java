package dev.library.runtime.api;

import dev.library.runtime.errors.FieldViolations;
import java.util.Optional;

/**
 * A checked "page of things by name" request (ListAuthors, ListCategories): the paging and, when
 * a {@code name_query} is given, the LIKE pattern that finds it anywhere in a name.
 */
public record NamePageRequest(Paging paging, Optional<String> namePattern) {
  public static NamePageRequest of(int page, int pageSize, String nameQuery, int maxLength) {
    FieldViolations violations = new FieldViolations();
    Paging paging = Paging.of(page, pageSize, violations);
    String query = Texts.optional("name_query", nameQuery, maxLength, violations);
    violations.throwIfAny();
    return new NamePageRequest(
        paging, query.isEmpty() ? Optional.empty() : Optional.of(Texts.containsPattern(query)));
  }
}
