package dev.library.runtime.grpc;

import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A request whose bytes are not a valid message of the method's type (truncated, a wrong wire
 * type, a string that is not UTF-8) is the caller's mistake: INVALID_ARGUMENT. grpc-java parses
 * a request with the method's marshaller before any handler or interceptor sees it, and a
 * marshaller that throws (whatever it throws) ends the call as {@code UNKNOWN: Application error
 * processing RPC}. So each method is re-bound to take the bytes as they arrived, and parses them
 * here, where a failure can close the call with the right status; the service and its
 * interceptors still see typed messages. (This is what grpc-java's own {@code
 * ServerInterceptors.useMarshalledMessages} does, with the parse failure handled.)
 */
final class RequestParsing {
  static final String MALFORMED =
      "the request is not a valid message of this method's type"
          + " (malformed bytes or a string that is not UTF-8)";

  private static final MethodDescriptor.Marshaller<InputStream> AS_ARRIVED =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(InputStream value) {
          return value;
        }

        @Override
        public InputStream parse(InputStream stream) {
          return stream;
        }
      };

  private RequestParsing() {}

  /** The service (interceptors included), parsing its requests itself. */
  static ServerServiceDefinition refusingMalformed(ServerServiceDefinition service) {
    ServiceDescriptor original = service.getServiceDescriptor();
    ServiceDescriptor.Builder descriptor =
        ServiceDescriptor.newBuilder(original.getName())
            .setSchemaDescriptor(original.getSchemaDescriptor());
    List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
    for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
      ServerMethodDefinition<?, ?> parsing = parsing(method);
      descriptor.addMethod(parsing.getMethodDescriptor());
      methods.add(parsing);
    }
    ServerServiceDefinition.Builder out = ServerServiceDefinition.builder(descriptor.build());
    methods.forEach(out::addMethod);
    return out.build();
  }

  private static <Q, R> ServerMethodDefinition<InputStream, R> parsing(
      ServerMethodDefinition<Q, R> method) {
    MethodDescriptor<Q, R> typed = method.getMethodDescriptor();
    MethodDescriptor<InputStream, R> raw =
        typed.toBuilder(AS_ARRIVED, typed.getResponseMarshaller()).build();
    ServerCallHandler<Q, R> handler = method.getServerCallHandler();
    return ServerMethodDefinition.create(
        raw,
        (call, headers) -> {
          TypedCall<Q, R> typedCall = new TypedCall<>(call, typed);
          ServerCall.Listener<Q> listener = handler.startCall(typedCall, headers);
          return new Parser<>(typed, typedCall, listener);
        });
  }

  /** Parses each message before the typed listener sees it; refuses the call if it cannot. */
  private static final class Parser<Q, R> extends ServerCall.Listener<InputStream> {
    private final MethodDescriptor<Q, R> typed;
    private final TypedCall<Q, R> call;
    private final ServerCall.Listener<Q> listener;
    private boolean refused;

    Parser(MethodDescriptor<Q, R> typed, TypedCall<Q, R> call, ServerCall.Listener<Q> listener) {
      this.typed = typed;
      this.call = call;
      this.listener = listener;
    }

    @Override
    public void onMessage(InputStream bytes) {
      if (refused || call.closed) {
        return;
      }
      Q message;
      try {
        message = typed.parseRequest(bytes);
      } catch (RuntimeException e) {
        refused = true;
        call.close(Status.INVALID_ARGUMENT.withDescription(MALFORMED), new Metadata());
        return;
      }
      listener.onMessage(message);
    }

    @Override
    public void onHalfClose() {
      if (!refused) {
        listener.onHalfClose();
      }
    }

    @Override
    public void onCancel() {
      listener.onCancel();
    }

    @Override
    public void onComplete() {
      listener.onComplete();
    }

    @Override
    public void onReady() {
      listener.onReady();
    }
  }

  /** The call as the typed handler expects it: the same call, with the typed descriptor. */
  private static final class TypedCall<Q, R> extends ServerCall<Q, R> {
    private final ServerCall<InputStream, R> call;
    private final MethodDescriptor<Q, R> typed;
    private volatile boolean closed;

    TypedCall(ServerCall<InputStream, R> call, MethodDescriptor<Q, R> typed) {
      this.call = call;
      this.typed = typed;
    }

    @Override
    public void request(int numMessages) {
      call.request(numMessages);
    }

    @Override
    public void sendHeaders(Metadata headers) {
      call.sendHeaders(headers);
    }

    @Override
    public void sendMessage(R message) {
      call.sendMessage(message);
    }

    @Override
    public void close(Status status, Metadata trailers) {
      closed = true;
      call.close(status, trailers);
    }

    @Override
    public boolean isReady() {
      return call.isReady();
    }

    @Override
    public boolean isCancelled() {
      return call.isCancelled();
    }

    @Override
    public void setMessageCompression(boolean enabled) {
      call.setMessageCompression(enabled);
    }

    @Override
    public void setCompression(String compressor) {
      call.setCompression(compressor);
    }

    @Override
    public void setOnReadyThreshold(int numBytes) {
      call.setOnReadyThreshold(numBytes);
    }

    @Override
    public Attributes getAttributes() {
      return call.getAttributes();
    }

    @Override
    public String getAuthority() {
      return call.getAuthority();
    }

    @Override
    public io.grpc.SecurityLevel getSecurityLevel() {
      return call.getSecurityLevel();
    }

    @Override
    public MethodDescriptor<Q, R> getMethodDescriptor() {
      return typed;
    }
  }
}
