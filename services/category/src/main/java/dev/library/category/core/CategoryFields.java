package dev.library.category.core;

import dev.library.runtime.api.Texts;
import dev.library.runtime.errors.FieldViolations;

/** The mutable fields of a category after validation. */
public record CategoryFields(String name, String description) {
  static final int MAX_NAME = 200;
  static final int MAX_DESCRIPTION = 2000;

  /** Trims and checks the fields, adding every problem to {@code violations}. */
  public static CategoryFields check(String name, String description, FieldViolations violations) {
    return new CategoryFields(
        Texts.required("name", name, MAX_NAME, violations),
        Texts.optional("description", description, MAX_DESCRIPTION, violations));
  }
}
