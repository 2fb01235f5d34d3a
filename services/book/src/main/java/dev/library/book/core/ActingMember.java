package dev.library.book.core;

import dev.library.runtime.errors.FieldViolations;
import dev.library.runtime.errors.Ids;
import dev.library.runtime.errors.NotFoundException;
import dev.library.runtime.security.Caller;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Who a circulation request acts for, and who acted (for the history). */
final class ActingMember {
  private ActingMember() {}

  /**
   * The member a request acts for (the caller, or the one a librarian names), who must have an
   * account: a loan or hold for nobody would never be closed.
   */
  static UUID resolve(Caller caller, Optional<UUID> named, Members members) {
    UUID member = caller.actingFor(named);
    if (caller.isActingForAnother(member) && members.existing(List.of(member)).isEmpty()) {
      throw new NotFoundException(
          "USER_NOT_FOUND", "user_id names no account", Map.of("user_id", member.toString()));
    }
    return member;
  }

  /** The member a request names in {@code user_id}, if any (acting for them is the caller's rule). */
  static Optional<UUID> named(String userId, FieldViolations violations) {
    if (userId == null || userId.isEmpty()) {
      return Optional.empty();
    }
    return Optional.ofNullable(Ids.check("user_id", userId, violations));
  }

  /** The librarian acting for {@code member}, recorded as the actor; null when members act themselves. */
  static UUID actor(Caller caller, UUID member) {
    return caller.isUser() && caller.isActingForAnother(member) ? UUID.fromString(caller.userId()) : null;
  }
}
