package dev.library.gateway;

import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.TypeRegistry;
import com.google.rpc.ErrorDetailsProto;
import dev.library.api.ApiDescriptorSet;
import java.io.IOException;
import java.io.InputStream;

/**
 * The protos Envoy transcodes, built from the descriptor set that Envoy loads ({@code
 * library/descriptor.pb} of library-proto) rather than from generated classes, so the gateway
 * exposes exactly what that file describes.
 */
public final class ProtoDescriptors {
  public static final String DESCRIPTOR_SET = ApiDescriptorSet.RESOURCE;

  private final ApiDescriptorSet set;

  private ProtoDescriptors(ApiDescriptorSet set) {
    this.set = set;
  }

  public static ProtoDescriptors load() {
    return new ProtoDescriptors(ApiDescriptorSet.fromClasspath());
  }

  static ProtoDescriptors parse(InputStream in) throws IOException {
    return new ProtoDescriptors(ApiDescriptorSet.parse(in));
  }

  /** The service with this fully-qualified name, e.g. {@code library.book.v1.BookService}. */
  public ServiceDescriptor service(String fullName) {
    try {
      return set.service(fullName);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Envoy transcodes " + fullName + " but " + DESCRIPTOR_SET + " does not define it", e);
    }
  }

  /**
   * Types an error detail or response {@code Any} may hold: google.rpc's error details plus
   * every message of the set.
   */
  public TypeRegistry typeRegistry() {
    TypeRegistry.Builder types = TypeRegistry.newBuilder();
    types.add(ErrorDetailsProto.getDescriptor().getMessageTypes());
    types.add(com.google.rpc.Status.getDescriptor());
    for (FileDescriptor file : set.files()) {
      // The set's own copies of google.rpc types would clash with the generated ones above.
      if (!file.getPackage().equals("google.rpc")) {
        types.add(file.getMessageTypes());
      }
    }
    return types.build();
  }
}
