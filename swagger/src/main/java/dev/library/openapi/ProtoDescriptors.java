package dev.library.openapi;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.ExtensionRegistry;
import dev.library.api.ApiDescriptorSet;
import java.io.IOException;

/**
 * The descriptor set that protoc wrote for the whole API, linked into descriptors, with its
 * source comments.
 *
 * <p>The generated Java classes carry descriptors too, but without source info: the comments
 * that become the OpenAPI descriptions exist only in the descriptor set.
 */
final class ProtoDescriptors {
  static final String RESOURCE = ApiDescriptorSet.RESOURCE;

  private final ApiDescriptorSet set;
  private final SourceComments comments;

  private ProtoDescriptors(ApiDescriptorSet set) {
    this.set = set;
    this.comments = SourceComments.of(set.raw());
  }

  static ProtoDescriptors fromClasspath() {
    return new ProtoDescriptors(ApiDescriptorSet.fromClasspath());
  }

  static ProtoDescriptors from(byte[] descriptorSet) throws IOException {
    return new ProtoDescriptors(ApiDescriptorSet.parse(descriptorSet));
  }

  static ExtensionRegistry extensions() {
    return ApiDescriptorSet.extensions();
  }

  static ProtoDescriptors from(FileDescriptorSet set) {
    return new ProtoDescriptors(ApiDescriptorSet.of(set));
  }

  ServiceDescriptor service(String fullName) {
    return set.service(fullName);
  }

  SourceComments comments() {
    return comments;
  }
}
