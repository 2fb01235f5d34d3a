package dev.library.book.db;

/** The states of a hold, as stored. WAITING and READY are open; the others are final. */
public enum HoldStatus {
  WAITING,
  READY,
  FULFILLED,
  EXPIRED,
  CANCELLED
}
