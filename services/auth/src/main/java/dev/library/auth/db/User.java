package dev.library.auth.db;

import dev.library.runtime.security.Role;
import java.util.Set;
import java.util.UUID;

/**
 * A stored account. The hash never leaves the auth service. {@code tokenGeneration} goes into
 * every access token; raising it revokes the older ones.
 */
public record User(
    UUID id,
    String username,
    String email,
    String passwordHash,
    Set<Role> roles,
    long tokenGeneration) {}
