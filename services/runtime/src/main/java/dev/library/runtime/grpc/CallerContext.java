package dev.library.runtime.grpc;

import dev.library.runtime.security.Caller;
import io.grpc.Context;

/**
 * Where the auth interceptor leaves the {@link Caller} of a gRPC call, for the service
 * implementation to read and hand to the core explicitly.
 */
public final class CallerContext {
  static final Context.Key<Caller> KEY = Context.key("library-caller");

  private CallerContext() {}

  /** The caller of the current gRPC call; anonymous outside one. */
  public static Caller current() {
    Caller caller = KEY.get();
    return caller == null ? Caller.anonymous() : caller;
  }

  /** A context in which {@link #current()} is {@code caller}. */
  public static Context with(Caller caller) {
    return Context.current().withValue(KEY, caller);
  }
}
