package dev.library.openapi;

import com.google.api.AnnotationsProto;
import com.google.api.FieldBehaviorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.ExtensionRegistry;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The descriptor set that protoc wrote for the whole API, linked into descriptors.
 *
 * <p>The generated Java classes carry descriptors too, but without source info: the comments
 * that become the OpenAPI descriptions exist only in the descriptor set.
 */
final class ProtoDescriptors {

  /** Where the proto module packages the descriptor set (imports and source info included). */
  static final String RESOURCE = "library/descriptor.pb";

  private final Map<String, FileDescriptor> files;
  private final SourceComments comments;

  private ProtoDescriptors(Map<String, FileDescriptor> files, SourceComments comments) {
    this.files = files;
    this.comments = comments;
  }

  static ProtoDescriptors fromClasspath() {
    try (InputStream in = ProtoDescriptors.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            RESOURCE + " is not on the classpath: build the proto module first");
      }
      return from(FileDescriptorSet.parseFrom(in, extensions()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  static ProtoDescriptors from(byte[] descriptorSet) throws InvalidProtocolBufferException {
    return from(FileDescriptorSet.parseFrom(descriptorSet, extensions()));
  }

  /**
   * The options the generator reads are extensions: without them registered, they would be
   * parsed as unknown fields and the HTTP rules and field behaviors would look absent.
   */
  static ExtensionRegistry extensions() {
    ExtensionRegistry registry = ExtensionRegistry.newInstance();
    registry.add(AnnotationsProto.http);
    registry.add(FieldBehaviorProto.fieldBehavior);
    return registry;
  }

  static ProtoDescriptors from(FileDescriptorSet set) {
    Map<String, FileDescriptorProto> protos = new LinkedHashMap<>();
    set.getFileList().forEach(file -> protos.put(file.getName(), file));
    Map<String, FileDescriptor> built = new HashMap<>();
    protos.keySet().forEach(name -> build(name, protos, built));
    return new ProtoDescriptors(Map.copyOf(built), SourceComments.of(set));
  }

  // protoc lists dependencies first, but linking on demand does not rely on that order.
  private static FileDescriptor build(
      String name, Map<String, FileDescriptorProto> protos, Map<String, FileDescriptor> built) {
    FileDescriptor done = built.get(name);
    if (done != null) {
      return done;
    }
    FileDescriptorProto proto = protos.get(name);
    if (proto == null) {
      throw new IllegalStateException(
          "the descriptor set lacks " + name + ": it must be built with --include_imports");
    }
    FileDescriptor[] dependencies =
        proto.getDependencyList().stream()
            .map(dependency -> build(dependency, protos, built))
            .toArray(FileDescriptor[]::new);
    try {
      FileDescriptor file = FileDescriptor.buildFrom(proto, dependencies);
      built.put(name, file);
      return file;
    } catch (DescriptorValidationException e) {
      throw new IllegalStateException("invalid descriptor " + name + ": " + e.getMessage(), e);
    }
  }

  ServiceDescriptor service(String fullName) {
    return files.values().stream()
        .flatMap(file -> file.getServices().stream())
        .filter(service -> service.getFullName().equals(fullName))
        .findFirst()
        .orElseThrow(
            () -> new IllegalArgumentException("no service " + fullName + " in " + RESOURCE));
  }

  SourceComments comments() {
    return comments;
  }
}
