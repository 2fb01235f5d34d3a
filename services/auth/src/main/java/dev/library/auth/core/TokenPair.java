package dev.library.auth.core;

import java.time.Instant;

/** What Login and RefreshToken hand out. */
public record TokenPair(
    String accessToken, Instant accessExpiresAt, String refreshToken, Instant refreshExpiresAt) {}
