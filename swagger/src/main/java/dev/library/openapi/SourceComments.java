package dev.library.openapi;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.DescriptorProtos.SourceCodeInfo.Location;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.GenericDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The leading comments of the protos, looked up by descriptor.
 *
 * <p>protoc records comments against a path of field numbers and indexes into
 * FileDescriptorProto (message_type = 4, nested_type = 3, field = 2, ...), and protobuf-java
 * offers no lookup by descriptor, so the path is rebuilt here.
 */
final class SourceComments {

  // Field numbers in descriptor.proto.
  private static final int FILE_MESSAGE_TYPE = 4;
  private static final int FILE_ENUM_TYPE = 5;
  private static final int FILE_SERVICE = 6;
  private static final int MESSAGE_FIELD = 2;
  private static final int MESSAGE_NESTED_TYPE = 3;
  private static final int MESSAGE_ENUM_TYPE = 4;
  private static final int ENUM_VALUE = 2;
  private static final int SERVICE_METHOD = 2;

  private final Map<String, Map<List<Integer>, String>> byFile;

  private SourceComments(Map<String, Map<List<Integer>, String>> byFile) {
    this.byFile = byFile;
  }

  static SourceComments of(FileDescriptorSet set) {
    Map<String, Map<List<Integer>, String>> byFile = new HashMap<>();
    for (FileDescriptorProto file : set.getFileList()) {
      Map<List<Integer>, String> comments = new HashMap<>();
      for (Location location : file.getSourceCodeInfo().getLocationList()) {
        if (location.hasLeadingComments()) {
          comments.put(List.copyOf(location.getPathList()), clean(location.getLeadingComments()));
        }
      }
      byFile.put(file.getName(), comments);
    }
    return new SourceComments(byFile);
  }

  /** The leading comment of an element, as Markdown; empty when it has none. */
  String of(GenericDescriptor element) {
    return byFile
        .getOrDefault(element.getFile().getName(), Map.of())
        .getOrDefault(path(element), "");
  }

  private static List<Integer> path(GenericDescriptor element) {
    List<Integer> path = new ArrayList<>();
    if (element instanceof Descriptor message) {
      if (message.getContainingType() == null) {
        path.addAll(List.of(FILE_MESSAGE_TYPE, message.getIndex()));
      } else {
        path.addAll(path(message.getContainingType()));
        path.addAll(List.of(MESSAGE_NESTED_TYPE, message.getIndex()));
      }
    } else if (element instanceof EnumDescriptor enumType) {
      if (enumType.getContainingType() == null) {
        path.addAll(List.of(FILE_ENUM_TYPE, enumType.getIndex()));
      } else {
        path.addAll(path(enumType.getContainingType()));
        path.addAll(List.of(MESSAGE_ENUM_TYPE, enumType.getIndex()));
      }
    } else if (element instanceof FieldDescriptor field && !field.isExtension()) {
      path.addAll(path(field.getContainingType()));
      path.addAll(List.of(MESSAGE_FIELD, field.getIndex()));
    } else if (element instanceof EnumValueDescriptor value) {
      path.addAll(path(value.getType()));
      path.addAll(List.of(ENUM_VALUE, value.getIndex()));
    } else if (element instanceof ServiceDescriptor service) {
      path.addAll(List.of(FILE_SERVICE, service.getIndex()));
    } else if (element instanceof MethodDescriptor method) {
      path.addAll(path(method.getService()));
      path.addAll(List.of(SERVICE_METHOD, method.getIndex()));
    }
    return path;
  }

  // protoc keeps the space after "//" on every line; dropping exactly one keeps the indentation
  // that Markdown lists in the comments rely on.
  private static String clean(String comment) {
    StringBuilder out = new StringBuilder();
    for (String line : comment.split("\n", -1)) {
      String trimmed = line.startsWith(" ") ? line.substring(1) : line;
      out.append(trimmed.stripTrailing()).append('\n');
    }
    return out.toString().strip();
  }

  /**
   * The first sentence of a comment, on one line: what OpenAPI calls a summary. A sentence ends
   * at a period followed by whitespace, so dotted names such as {@code google.rpc.Status} do not
   * cut it short.
   */
  static String firstSentence(String comment) {
    String paragraph = comment.split("\n\\s*\n", 2)[0].replaceAll("\\s+", " ").strip();
    int end = paragraph.indexOf(". ");
    return end < 0 ? paragraph : paragraph.substring(0, end + 1);
  }
}
