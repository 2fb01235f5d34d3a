package dev.library.book.core;

import dev.library.runtime.errors.RuleBrokenException;
import java.util.Map;

/**
 * Every FAILED_PRECONDITION reason circulation gives, in one place: book.proto lists each next to
 * the RPCs that give it, and a test checks each appears in the OpenAPI documents.
 */
public enum Refusal {
  NO_COPY_AVAILABLE,
  COPY_HELD_FOR_ANOTHER_MEMBER,
  LOAN_LIMIT_REACHED,
  ALREADY_BORROWED,
  MEMBER_HAS_OVERDUE_LOANS,
  LOAN_ALREADY_RETURNED,
  LOAN_OF_ANOTHER_BOOK,
  LOAN_OF_ANOTHER_MEMBER,
  LOAN_OVERDUE,
  RENEWAL_LIMIT_REACHED,
  HOLDS_WAITING,
  HOLD_EXISTS,
  COPY_AVAILABLE,
  HOLD_LIMIT_REACHED,
  HOLD_CLOSED,
  COPIES_ON_LOAN;

  public RuleBrokenException because(String message, Map<String, String> metadata) {
    return new RuleBrokenException(name(), message, metadata);
  }

  public RuleBrokenException because(String message) {
    return new RuleBrokenException(name(), message);
  }
}
