package dev.library.auth.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * The append-only audit_events table: inserts and reads, nothing else (triggers enforce it). On
 * the caller's handle, so an event is written in the transaction of the operation it records.
 */
public final class AuditEventDao {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, String>> DETAILS = new TypeReference<>() {};

  /** A stored event. */
  public record StoredEvent(
      long id,
      String type,
      Instant occurredAt,
      UUID userId,
      UUID actorUserId,
      String username,
      String clientAddress,
      Map<String, String> details) {}

  /** What to list; nulls match anything. Newest first, ids below {@code beforeId}. */
  public record Filter(UUID userId, String type, Instant start, Instant end, Long beforeId) {}

  private final Handle handle;

  public AuditEventDao(Handle handle) {
    this.handle = handle;
  }

  public void insert(
      String type,
      UUID userId,
      UUID actorUserId,
      String username,
      String clientAddress,
      Map<String, String> details) {
    handle
        .createUpdate(
            "INSERT INTO audit_events (type, user_id, actor_user_id, username, "
                + "client_address, details) VALUES (:type, CAST(:user AS uuid), "
                + "CAST(:actor AS uuid), :username, :address, CAST(:details AS jsonb))")
        .bind("type", type)
        .bindByType("user", userId, UUID.class)
        .bindByType("actor", actorUserId, UUID.class)
        .bind("username", username)
        .bind("address", clientAddress)
        .bind("details", json(details))
        .execute();
  }

  public List<StoredEvent> list(Filter filter, int limit) {
    StringBuilder sql = new StringBuilder("SELECT * FROM audit_events WHERE true");
    if (filter.userId() != null) {
      sql.append(" AND user_id = :user");
    }
    if (filter.type() != null) {
      sql.append(" AND type = :type");
    }
    if (filter.start() != null) {
      sql.append(" AND occurred_at >= :start");
    }
    if (filter.end() != null) {
      sql.append(" AND occurred_at < :end");
    }
    if (filter.beforeId() != null) {
      sql.append(" AND id < :before");
    }
    sql.append(" ORDER BY id DESC LIMIT :limit");
    Query query = handle.createQuery(sql.toString()).bind("limit", limit);
    if (filter.userId() != null) {
      query.bind("user", filter.userId());
    }
    if (filter.type() != null) {
      query.bind("type", filter.type());
    }
    if (filter.start() != null) {
      query.bind("start", filter.start());
    }
    if (filter.end() != null) {
      query.bind("end", filter.end());
    }
    if (filter.beforeId() != null) {
      query.bind("before", filter.beforeId());
    }
    List<StoredEvent> events = new ArrayList<>();
    query
        .map(
            (rs, ctx) ->
                new StoredEvent(
                    rs.getLong("id"),
                    rs.getString("type"),
                    rs.getTimestamp("occurred_at").toInstant(),
                    rs.getObject("user_id", UUID.class),
                    rs.getObject("actor_user_id", UUID.class),
                    rs.getString("username"),
                    rs.getString("client_address"),
                    details(rs.getString("details"))))
        .forEach(events::add);
    return events;
  }

  private static String json(Map<String, String> details) {
    try {
      return JSON.writeValueAsString(details);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> details(String json) {
    try {
      return JSON.readValue(json, DETAILS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable audit details", e);
    }
  }
}
