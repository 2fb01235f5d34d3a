package dev.library.auth.api;

import static dev.library.runtime.grpc.Replies.timestamp;

import com.google.protobuf.Timestamp;
import dev.library.auth.core.AuditEventType;
import dev.library.auth.db.AuditEventDao.StoredEvent;
import dev.library.auth.v1.AuditEvent;
import dev.library.runtime.errors.FieldViolations;
import java.time.Instant;

/** Between audit events as stored and the proto's AuditEvent. */
final class AuditMapping {
  private AuditMapping() {}

  static AuditEvent toProto(StoredEvent event) {
    AuditEvent.Builder out =
        AuditEvent.newBuilder()
            .setId(event.id())
            .setType(dev.library.auth.v1.AuditEventType.valueOf(event.type()))
            .setOccurredAt(timestamp(event.occurredAt()))
            .setUsername(event.username())
            .setClientAddress(event.clientAddress())
            .putAllDetails(event.details());
    if (event.userId() != null) {
      out.setUserId(event.userId().toString());
    }
    if (event.actorUserId() != null) {
      out.setActorUserId(event.actorUserId().toString());
    }
    return out.build();
  }

  /** The filter of a request's type; null for "any". */
  static AuditEventType fromProto(dev.library.auth.v1.AuditEventType type) {
    if (type == dev.library.auth.v1.AuditEventType.AUDIT_EVENT_TYPE_UNSPECIFIED) {
      return null;
    }
    if (type == dev.library.auth.v1.AuditEventType.UNRECOGNIZED) {
      throw FieldViolations.of("type", "is not an audit event type");
    }
    return AuditEventType.valueOf(type.name());
  }

  static Instant instant(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }
}
