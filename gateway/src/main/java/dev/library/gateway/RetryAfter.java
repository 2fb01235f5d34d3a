package dev.library.gateway;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.RetryInfo;
import java.util.Optional;

/**
 * The HTTP {@code Retry-After} of an error: the {@code google.rpc.RetryInfo} detail's delay,
 * rounded up to whole seconds (the header has no fractions), so a client that waits what it says
 * is never refused again for being early.
 */
final class RetryAfter {
  private RetryAfter() {}

  static Optional<Long> from(com.google.rpc.Status status) {
    for (Any detail : status.getDetailsList()) {
      if (detail.is(RetryInfo.class)) {
        try {
          com.google.protobuf.Duration delay = detail.unpack(RetryInfo.class).getRetryDelay();
          long seconds = delay.getSeconds() + (delay.getNanos() > 0 ? 1 : 0);
          return Optional.of(Math.max(1, seconds));
        } catch (InvalidProtocolBufferException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }
}
