package dev.library.gateway;

import com.google.protobuf.DynamicMessage;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import io.netty.util.AttributeKey;
import java.util.concurrent.TimeUnit;

/**
 * Handles a unary call by making the same call on the upstream service: same message, the
 * caller's forwardable headers, a deadline, and the upstream's answer relayed as it came (status,
 * message, and the trailers carrying google.rpc.Status details).
 */
final class ForwardingCallHandler implements ServerCallHandler<DynamicMessage, DynamicMessage> {
  /** The upstream's own status and trailers, for the JSON error body of a transcoded call. */
  static final AttributeKey<UpstreamStatus> UPSTREAM_STATUS =
      AttributeKey.valueOf(ForwardingCallHandler.class, "UPSTREAM_STATUS");

  record UpstreamStatus(Status status, Metadata trailers) {}

  private final MethodDescriptor<DynamicMessage, DynamicMessage> method;
  private final ManagedChannel upstream;
  private final Channel calls;
  private final HeaderForwarding headers;
  private final Deadlines deadlines;

  ForwardingCallHandler(
      MethodDescriptor<DynamicMessage, DynamicMessage> method,
      ManagedChannel upstream,
      Channel calls,
      HeaderForwarding headers,
      Deadlines deadlines) {
    this.method = method;
    this.upstream = upstream;
    this.calls = calls;
    this.headers = headers;
    this.deadlines = deadlines;
  }

  @Override
  public ServerCall.Listener<DynamicMessage> startCall(
      ServerCall<DynamicMessage, DynamicMessage> call, Metadata incoming) {
    ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
    // Fail fast rather than queue while the upstream is down: the caller gets 503 at once.
    CallOptions options =
        CallOptions.DEFAULT
            .withoutWaitForReady()
            .withDeadlineAfter(deadlines.timeoutNanos(incoming), TimeUnit.NANOSECONDS);
    if (ctx != null) {
      // Upstream callbacks run on the request's event loop, where Armeria expects its call used.
      options = options.withExecutor(ctx.eventLoop());
    }
    ClientCall<DynamicMessage, DynamicMessage> upstreamCall = calls.newCall(method, options);
    Metadata outgoing = headers.outgoing(incoming);
    if (ctx != null) {
      // As Envoy does with use_remote_address: the services trust the last entry from us.
      headers.appendForwardedFor(outgoing, ctx.clientAddress());
    }
    // Two, as grpc-java's own unary handlers do, so that a second message is noticed.
    call.request(2);
    return new ServerCall.Listener<>() {
      private DynamicMessage request;
      private boolean started;

      @Override
      public void onMessage(DynamicMessage message) {
        if (request != null) {
          call.close(
              Status.INTERNAL.withDescription("more than one request message for a unary call"),
              new Metadata());
          return;
        }
        request = message;
      }

      @Override
      public void onHalfClose() {
        if (request == null) {
          call.close(
              Status.INTERNAL.withDescription("half-closed without a request message"),
              new Metadata());
          return;
        }
        started = true;
        upstreamCall.start(new Relay(call, ctx), outgoing);
        upstreamCall.request(1);
        upstreamCall.sendMessage(request);
        upstreamCall.halfClose();
      }

      @Override
      public void onCancel() {
        if (started) {
          upstreamCall.cancel("the caller cancelled", null);
        }
      }
    };
  }

  /** Passes the upstream's answer back to the caller. */
  private final class Relay extends ClientCall.Listener<DynamicMessage> {
    private final ServerCall<DynamicMessage, DynamicMessage> call;
    private final ServiceRequestContext ctx;
    private DynamicMessage response;

    Relay(ServerCall<DynamicMessage, DynamicMessage> call, ServiceRequestContext ctx) {
      this.call = call;
      this.ctx = ctx;
    }

    @Override
    public void onMessage(DynamicMessage message) {
      response = message;
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      if (call.isCancelled()) {
        return;
      }
      if (status.isOk() && response != null) {
        call.sendHeaders(new Metadata());
        call.sendMessage(response);
        call.close(Status.OK, new Metadata());
        return;
      }
      if (status.isOk()) {
        status = Status.INTERNAL.withDescription("the upstream answered a unary call with no message");
      }
      if (status.getCode() == Status.Code.UNAVAILABLE) {
        // After a failed connect grpc-java waits out a growing backoff before trying again;
        // Envoy tries on the next request, and so does the gateway.
        upstream.resetConnectBackoff();
      }
      status = visible(status);
      if (ctx != null) {
        ctx.setAttr(UPSTREAM_STATUS, new UpstreamStatus(status, trailers));
      }
      call.close(status, trailers);
    }
  }

  /**
   * The status as the caller sees it. A status the upstream sent keeps its message; one that
   * grpc-java made here (a refused connection, an expired deadline) would name internal hosts
   * and ports, so it gets a plain message instead.
   */
  private Status visible(Status status) {
    String service = method.getServiceName();
    if (status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
      return Status.DEADLINE_EXCEEDED.withDescription(service + " did not answer in time");
    }
    if (status.getCause() != null) {
      return status.getCode() == Status.Code.UNAVAILABLE
          ? Status.UNAVAILABLE.withDescription(service + " is unavailable")
          : Status.fromCode(status.getCode()).withDescription("the call to " + service + " failed");
    }
    return status;
  }
}
