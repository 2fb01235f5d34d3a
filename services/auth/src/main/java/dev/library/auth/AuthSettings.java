package dev.library.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** {@code services.auth.settings}: token lifetimes, password-hash cost, keys, the first admin. */
public class AuthSettings {
  @NotNull @JsonProperty private Duration accessTokenTtl = Duration.minutes(15);
  @NotNull @JsonProperty private Duration refreshTokenTtl = Duration.days(30);

  /** bcrypt cost (log2 rounds). 12 is about a quarter second a hash on a laptop core. */
  @Min(4)
  @Max(31)
  @JsonProperty
  private int bcryptCost = 12;

  /**
   * A PEM file with an RSA private key (PKCS#8, at least 2048 bits). Empty: a key is generated on
   * first start and kept in the auth database.
   */
  @JsonProperty private String signingKeyFile = "";

  /**
   * Base64 of 32 random bytes ({@code openssl rand -base64 32}) that encrypts the stored signing
   * keys; or {@code keyEncryptionKeyFile}, a file holding it. Required in production mode unless
   * {@code signingKeyFile} is set.
   */
  @JsonProperty private String keyEncryptionKey = "";

  @JsonProperty private String keyEncryptionKeyFile = "";

  /**
   * How long a rotated-in key is published before it signs: longer than the JWKS document's
   * cache lifetime (5 minutes) plus {@code keyReloadInterval}, so every verifier has it first.
   */
  @NotNull @JsonProperty private Duration keyPublishWait = Duration.minutes(6);

  /** How often each auth instance re-reads the key schedule from its database. */
  @NotNull @JsonProperty private Duration keyReloadInterval = Duration.seconds(30);

  @Valid @NotNull @JsonProperty private Admin admin = new Admin();

  @Valid @NotNull @JsonProperty private Throttle throttle = new Throttle();

  public Duration getAccessTokenTtl() {
    return accessTokenTtl;
  }

  public Duration getRefreshTokenTtl() {
    return refreshTokenTtl;
  }

  public int getBcryptCost() {
    return bcryptCost;
  }

  public String getSigningKeyFile() {
    return signingKeyFile;
  }

  public String getKeyEncryptionKey() {
    return keyEncryptionKey;
  }

  public String getKeyEncryptionKeyFile() {
    return keyEncryptionKeyFile;
  }

  public Duration getKeyPublishWait() {
    return keyPublishWait;
  }

  public Duration getKeyReloadInterval() {
    return keyReloadInterval;
  }

  @Override
  public String toString() {
    return "AuthSettings{accessTokenTtl=" + accessTokenTtl + ", keyEncryptionKey=<hidden>}";
  }

  public Admin getAdmin() {
    return admin;
  }

  public Throttle getThrottle() {
    return throttle;
  }

  /** Login throttling (see LoginThrottle); README.md states these defaults. */
  public static class Throttle {
    /** Consecutive failures on one account before backoff starts. */
    @Min(0) @JsonProperty private int accountFreeFailures = 5;
    /** Consecutive failures from one address before backoff starts (shared NATs get more). */
    @Min(0) @JsonProperty private int addressFreeFailures = 20;
    /** The longest wait backoff imposes after one failure. */
    @NotNull @JsonProperty private Duration maxDelay = Duration.minutes(15);
    /** OWASP ASVS V2.2.1: at most 100 failed attempts an hour per account. */
    @Min(1) @Max(100) @JsonProperty private int accountFailuresPerHour = 100;

    public int getAccountFreeFailures() {
      return accountFreeFailures;
    }

    public int getAddressFreeFailures() {
      return addressFreeFailures;
    }

    public Duration getMaxDelay() {
      return maxDelay;
    }

    public int getAccountFailuresPerHour() {
      return accountFailuresPerHour;
    }
  }

  /** The administrator created at startup when no user has its username. */
  public static class Admin {
    @JsonProperty private String username = "admin";
    @JsonProperty private String email = "admin@library.local";

    /** Empty: no administrator is created. */
    @JsonProperty private String password = "";

    public String getUsername() {
      return username;
    }

    public String getEmail() {
      return email;
    }

    public String getPassword() {
      return password;
    }

    @Override
    public String toString() {
      return "Admin{username=" + username + ", password=<hidden>}";
    }
  }
}
