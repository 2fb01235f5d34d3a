package dev.library.auth.api;

import dev.library.runtime.errors.FieldViolations;
import dev.library.runtime.security.Role;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Between the proto's Role enum and the token's role claims. */
final class RoleMapping {
  private RoleMapping() {}

  static dev.library.auth.v1.Role toProto(Role role) {
    return switch (role) {
      case MEMBER -> dev.library.auth.v1.Role.MEMBER;
      case LIBRARIAN -> dev.library.auth.v1.Role.LIBRARIAN;
      case ADMIN -> dev.library.auth.v1.Role.ADMIN;
    };
  }

  static Set<Role> fromProto(String field, List<dev.library.auth.v1.Role> roles) {
    if (roles.isEmpty()) {
      throw FieldViolations.of(field, "must name at least one role");
    }
    Set<Role> out = EnumSet.noneOf(Role.class);
    for (dev.library.auth.v1.Role role : roles) {
      switch (role) {
        case MEMBER -> out.add(Role.MEMBER);
        case LIBRARIAN -> out.add(Role.LIBRARIAN);
        case ADMIN -> out.add(Role.ADMIN);
        default ->
            throw FieldViolations.of(field, "must hold only MEMBER, LIBRARIAN or ADMIN");
      }
    }
    return out;
  }
}
