package dev.library.book.db;

/** What a circulation event records, as stored. */
public enum EventType {
  LOAN_BORROWED,
  LOAN_RETURNED,
  LOAN_RENEWED,
  HOLD_PLACED,
  HOLD_READY,
  HOLD_FULFILLED,
  HOLD_EXPIRED,
  HOLD_CANCELLED
}
