package dev.library.runtime.security;

import java.util.Locale;
import java.util.Optional;

/** Roles carried in the access token's {@code roles} claim, by their lower-case claim names. */
public enum Role {
  MEMBER,
  LIBRARIAN,
  ADMIN;

  public String claim() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Role> fromClaim(String claim) {
    for (Role role : values()) {
      if (role.claim().equals(claim)) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }

  /** The role of the protos' access option ({@code ROLE_LIBRARIAN} is LIBRARIAN). */
  public static Role of(dev.library.api.Role role) {
    return valueOf(role.name().substring("ROLE_".length()));
  }
}
