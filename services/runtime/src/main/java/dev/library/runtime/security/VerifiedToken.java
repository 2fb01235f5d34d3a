package dev.library.runtime.security;

import java.time.Instant;
import java.util.Set;

/**
 * The facts of an access token that passed verification. {@code generation} is the user's token
 * generation when it was issued (0 for tokens from before revocation existed).
 */
public record VerifiedToken(String userId, Set<Role> roles, Instant expiresAt, long generation) {}
