package dev.library.gateway;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Envoy's CORS policy ({@code envoy.extensions.filters.http.cors.v3.CorsPolicy}, or the older
 * {@code cors} field of a virtual host), as the gateway applies it.
 */
public record CorsPolicy(
    List<OriginMatcher> allowOrigins,
    List<String> allowMethods,
    List<String> allowHeaders,
    List<String> exposeHeaders,
    Optional<Duration> maxAge,
    boolean allowCredentials) {

  /** Whether a browser origin may call the API. */
  public boolean allows(String origin) {
    return allowOrigins.stream().anyMatch(m -> m.test(origin));
  }

  /** One of Envoy's {@code StringMatcher}s: exact, prefix, suffix, contains or safe_regex. */
  public static final class OriginMatcher implements Predicate<String> {
    public enum Kind {
      EXACT,
      PREFIX,
      SUFFIX,
      CONTAINS,
      SAFE_REGEX
    }

    private final Kind kind;
    private final String value;
    private final boolean ignoreCase;
    private final Pattern regex;

    public OriginMatcher(Kind kind, String value, boolean ignoreCase) {
      this.kind = kind;
      this.value = ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
      this.ignoreCase = ignoreCase;
      this.regex =
          kind == Kind.SAFE_REGEX
              ? Pattern.compile(value, ignoreCase ? Pattern.CASE_INSENSITIVE : 0)
              : null;
    }

    public Kind kind() {
      return kind;
    }

    public String value() {
      return value;
    }

    @Override
    public boolean test(String origin) {
      if (origin == null) {
        return false;
      }
      String candidate = ignoreCase ? origin.toLowerCase(Locale.ROOT) : origin;
      return switch (kind) {
        case EXACT -> candidate.equals(value);
        case PREFIX -> candidate.startsWith(value);
        case SUFFIX -> candidate.endsWith(value);
        case CONTAINS -> candidate.contains(value);
          // RE2 in Envoy matches the whole string, as matches() does.
        case SAFE_REGEX -> regex.matcher(origin).matches();
      };
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof OriginMatcher that
          && kind == that.kind
          && value.equals(that.value)
          && ignoreCase == that.ignoreCase;
    }

    @Override
    public int hashCode() {
      return Objects.hash(kind, value, ignoreCase);
    }

    @Override
    public String toString() {
      return kind.name().toLowerCase(Locale.ROOT) + ":" + value;
    }
  }
}
