package dev.library.book.api;

import static dev.library.runtime.grpc.Replies.timestamp;

import dev.library.book.db.EventRow;
import dev.library.book.db.EventType;
import dev.library.book.db.HoldRow;
import dev.library.book.v1.CirculationEvent;
import dev.library.book.v1.CirculationEventType;
import dev.library.book.v1.Hold;
import dev.library.book.v1.HoldStatus;
import java.util.Optional;
import java.util.UUID;

/** Holds and circulation events as book.proto messages, and the filters back. */
final class HoldMessages {
  private HoldMessages() {}

  static Hold toProto(HoldRow row) {
    Hold.Builder hold =
        Hold.newBuilder()
            .setId(row.id().toString())
            .setBookId(row.bookId().toString())
            .setUserId(row.userId().toString())
            .setStatus(HoldStatus.valueOf(row.status().name()))
            .setPlacedAt(timestamp(row.placedAt()))
            .setQueuePosition(row.queuePosition())
            .setBookTitle(row.bookTitle());
    if (row.readyAt() != null) {
      hold.setReadyAt(timestamp(row.readyAt()));
    }
    if (row.pickupDeadline() != null) {
      hold.setPickupDeadline(timestamp(row.pickupDeadline()));
    }
    if (row.closedAt() != null) {
      hold.setClosedAt(timestamp(row.closedAt()));
    }
    return hold.build();
  }

  static CirculationEvent toProto(EventRow row) {
    return CirculationEvent.newBuilder()
        .setId(Long.toString(row.id()))
        .setType(CirculationEventType.valueOf(row.type().name()))
        .setOccurredAt(timestamp(row.occurredAt()))
        .setUserId(text(row.userId()))
        .setBookId(row.bookId().toString())
        .setLoanId(text(row.loanId()))
        .setHoldId(text(row.holdId()))
        .setActorId(text(row.actorId()))
        .build();
  }

  /** Empty for "any type"; null for a value this server does not know. */
  static Optional<EventType> eventType(CirculationEventType type) {
    if (type == CirculationEventType.CIRCULATION_EVENT_TYPE_UNSPECIFIED) {
      return Optional.empty();
    }
    if (type == CirculationEventType.UNRECOGNIZED) {
      return null;
    }
    return Optional.of(EventType.valueOf(type.name()));
  }

  private static String text(UUID id) {
    return id == null ? "" : id.toString();
  }
}
