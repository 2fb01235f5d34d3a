package dev.library.gateway;

import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.library.api.AccessRule;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.ServerCallHandler;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;
import io.grpc.protobuf.ProtoServiceDescriptorSupplier;
import io.grpc.protobuf.ProtoUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * gRPC service definitions made from proto descriptors alone, with {@link DynamicMessage}s. The
 * schema suppliers are what Armeria reads to find each method's {@code google.api.http} rule.
 */
final class DynamicServiceDefinitions {
  private static final Logger LOG = LoggerFactory.getLogger(DynamicServiceDefinitions.class);

  private DynamicServiceDefinitions() {}

  /** The method as grpc-java sees it, marshalling DynamicMessages of its input and output types. */
  static io.grpc.MethodDescriptor<DynamicMessage, DynamicMessage> grpcMethod(
      MethodDescriptor method) {
    return io.grpc.MethodDescriptor.<DynamicMessage, DynamicMessage>newBuilder()
        .setType(methodType(method))
        .setFullMethodName(
            io.grpc.MethodDescriptor.generateFullMethodName(
                method.getService().getFullName(), method.getName()))
        .setRequestMarshaller(
            ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(method.getInputType())))
        .setResponseMarshaller(
            ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(method.getOutputType())))
        .setSchemaDescriptor(new MethodSchema(method))
        .build();
  }

  /**
   * A definition of {@code service} whose unary methods are handled by {@code handlers}.
   * Streaming methods are left out: the library's API has none, and forwarding them would need
   * a different handler. Internal methods ({@code (library.access) = { internal: true }}) are
   * left out too: the edge never forwards them.
   */
  static ServerServiceDefinition define(
      ServiceDescriptor service,
      Function<io.grpc.MethodDescriptor<DynamicMessage, DynamicMessage>,
              ServerCallHandler<DynamicMessage, DynamicMessage>>
          handlers) {
    io.grpc.ServiceDescriptor.Builder descriptor =
        io.grpc.ServiceDescriptor.newBuilder(service.getFullName())
            .setSchemaDescriptor(new ServiceSchema(service));
    List<io.grpc.MethodDescriptor<DynamicMessage, DynamicMessage>> methods =
        new ArrayList<>();
    for (MethodDescriptor method : service.getMethods()) {
      if (method.isClientStreaming() || method.isServerStreaming()) {
        LOG.warn("{} is a streaming method: the gateway does not forward it", method.getFullName());
        continue;
      }
      if (AccessRule.of(method).kind() == AccessRule.Kind.INTERNAL) {
        // Its proto says only the library's services may call it: not reachable from the edge.
        continue;
      }
      io.grpc.MethodDescriptor<DynamicMessage, DynamicMessage> grpcMethod = grpcMethod(method);
      descriptor.addMethod(grpcMethod);
      methods.add(grpcMethod);
    }
    ServerServiceDefinition.Builder definition =
        ServerServiceDefinition.builder(descriptor.build());
    for (io.grpc.MethodDescriptor<DynamicMessage, DynamicMessage> method : methods) {
      definition.addMethod(method, handlers.apply(method));
    }
    return definition.build();
  }

  private static MethodType methodType(MethodDescriptor method) {
    if (method.isClientStreaming()) {
      return method.isServerStreaming() ? MethodType.BIDI_STREAMING : MethodType.CLIENT_STREAMING;
    }
    return method.isServerStreaming() ? MethodType.SERVER_STREAMING : MethodType.UNARY;
  }

  private static class ServiceSchema implements ProtoServiceDescriptorSupplier {
    private final ServiceDescriptor service;

    ServiceSchema(ServiceDescriptor service) {
      this.service = service;
    }

    @Override
    public FileDescriptor getFileDescriptor() {
      return service.getFile();
    }

    @Override
    public ServiceDescriptor getServiceDescriptor() {
      return service;
    }
  }

  private static final class MethodSchema extends ServiceSchema
      implements ProtoMethodDescriptorSupplier {
    private final MethodDescriptor method;

    MethodSchema(MethodDescriptor method) {
      super(method.getService());
      this.method = method;
    }

    @Override
    public MethodDescriptor getMethodDescriptor() {
      return method;
    }
  }
}
