package dev.library.runtime.grpc;

import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import java.io.InputStream;

/**
 * A request whose bytes are not a valid message of the method's type (truncated, a wrong wire
 * type, a string that is not UTF-8) is the caller's mistake: INVALID_ARGUMENT, where grpc-java's
 * own marshaller failure would surface as INTERNAL.
 */
final class RequestParsing {
  private RequestParsing() {}

  static ServerServiceDefinition refusingMalformed(ServerServiceDefinition service) {
    io.grpc.ServiceDescriptor original = service.getServiceDescriptor();
    io.grpc.ServiceDescriptor.Builder descriptor =
        io.grpc.ServiceDescriptor.newBuilder(original.getName())
            .setSchemaDescriptor(original.getSchemaDescriptor());
    java.util.List<ServerMethodDefinition<?, ?>> methods = new java.util.ArrayList<>();
    for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
      ServerMethodDefinition<?, ?> strict = refusing(method);
      descriptor.addMethod(strict.getMethodDescriptor());
      methods.add(strict);
    }
    ServerServiceDefinition.Builder out = ServerServiceDefinition.builder(descriptor.build());
    methods.forEach(out::addMethod);
    return out.build();
  }

  private static <Q, R> ServerMethodDefinition<Q, R> refusing(ServerMethodDefinition<Q, R> method) {
    MethodDescriptor<Q, R> descriptor = method.getMethodDescriptor();
    MethodDescriptor.Marshaller<Q> parser = descriptor.getRequestMarshaller();
    MethodDescriptor.Marshaller<Q> strict =
        new MethodDescriptor.Marshaller<>() {
          @Override
          public InputStream stream(Q value) {
            return parser.stream(value);
          }

          @Override
          public Q parse(InputStream stream) {
            try {
              return parser.parse(stream);
            } catch (RuntimeException e) {
              throw Status.INVALID_ARGUMENT
                  .withDescription(
                      "the request is not a valid message of this method's type"
                          + " (malformed bytes or a string that is not UTF-8)")
                  .asRuntimeException();
            }
          }
        };
    return ServerMethodDefinition.create(
            descriptor.toBuilder().setRequestMarshaller(strict).build(),
            method.getServerCallHandler());
  }
}
