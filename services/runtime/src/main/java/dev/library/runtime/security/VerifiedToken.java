package dev.library.runtime.security;

import java.time.Instant;
import java.util.Set;

/** The facts of an access token that passed verification. */
public record VerifiedToken(String userId, Set<Role> roles, Instant expiresAt) {}
