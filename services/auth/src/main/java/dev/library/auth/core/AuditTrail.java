package dev.library.auth.core;

import dev.library.auth.db.AuditEventDao;
import dev.library.auth.db.AuditEventDao.Filter;
import dev.library.auth.db.AuditEventDao.StoredEvent;
import dev.library.runtime.errors.FieldViolations;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The security audit trail: events are added, and listed by admins; nothing changes or removes
 * one. Details never hold a password or a token. An event is recorded on the handle of the
 * operation it belongs to, so it commits (or rolls back) with that operation.
 */
public final class AuditTrail {
  private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);
  static final int DEFAULT_PAGE_SIZE = 20;
  static final int MAX_PAGE_SIZE = 100;

  /** One page of events and the token of the next ("" on the last page). */
  public record Page(List<StoredEvent> events, String nextPageToken) {}

  private final Jdbi jdbi;

  /** {@code jdbi} serves only the listing; recording uses the caller's handle. */
  public AuditTrail(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public void record(
      Handle handle,
      AuditEventType type,
      UUID userId,
      UUID actorUserId,
      String username,
      String clientAddress,
      Map<String, String> details) {
    new AuditEventDao(handle)
        .insert(
            type.name(),
            userId,
            actorUserId,
            username == null ? "" : username,
            clientAddress == null ? "" : clientAddress,
            details);
    LOG.info("audit {} user={} actor={} address={}", type, userId, actorUserId, clientAddress);
  }

  public void record(
      Handle handle, AuditEventType type, UUID userId, String username, String clientAddress) {
    record(handle, type, userId, null, username, clientAddress, Map.of());
  }

  /** Newest first; the filters combine with AND. */
  public Page list(
      UUID userId,
      AuditEventType type,
      Instant start,
      Instant end,
      int pageSize,
      String pageToken) {
    FieldViolations violations = new FieldViolations();
    violations.check(
        pageSize < 0 || pageSize > MAX_PAGE_SIZE,
        "page_size",
        "must be between 1 and " + MAX_PAGE_SIZE + " (0 means " + DEFAULT_PAGE_SIZE + ")");
    violations.check(
        start != null && end != null && start.isAfter(end),
        "start_time",
        "must not be after end_time");
    Long before = null;
    if (!pageToken.isEmpty()) {
      before = decode(pageToken);
      violations.check(before == null, "page_token", "is not a token this RPC returned");
    }
    violations.throwIfAny();
    int size = pageSize == 0 ? DEFAULT_PAGE_SIZE : pageSize;
    Filter filter = new Filter(userId, type == null ? null : type.name(), start, end, before);
    List<StoredEvent> rows = jdbi.withHandle(h -> new AuditEventDao(h).list(filter, size + 1));
    if (rows.size() <= size) {
      return new Page(rows, "");
    }
    List<StoredEvent> page = rows.subList(0, size);
    return new Page(List.copyOf(page), encode(page.get(size - 1).id()));
  }

  private static String encode(long id) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(("before:" + id).getBytes(StandardCharsets.UTF_8));
  }

  private static Long decode(String token) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (!text.startsWith("before:")) {
        return null;
      }
      long id = Long.parseLong(text.substring("before:".length()));
      return id > 0 ? id : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
