package dev.library.runtime.grpc;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.library.runtime.errors.FieldViolations;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.List;
import java.util.Map;

/**
 * Refuses text no service can store or compare: a NUL character (PostgreSQL text cannot hold one)
 * or half of a UTF-16 surrogate pair (what a JSON escape such as {@code \ud800} decodes to; it
 * has no UTF-8 form). Every string field of every request is checked, however deeply nested,
 * before the service sees it, and the violation names the field.
 */
public final class RequestTextCheck implements ServerInterceptor {
  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    return new SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
      @Override
      public void onMessage(Q message) {
        if (message instanceof Message proto) {
          FieldViolations violations = new FieldViolations();
          check(proto, "", violations);
          violations.throwIfAny();
        }
        super.onMessage(message);
      }
    };
  }

  static void check(Message message, String prefix, FieldViolations violations) {
    for (Map.Entry<FieldDescriptor, Object> entry : message.getAllFields().entrySet()) {
      FieldDescriptor field = entry.getKey();
      String path = prefix + field.getName();
      if (field.isRepeated()) {
        List<?> values = (List<?>) entry.getValue();
        for (int i = 0; i < values.size(); i++) {
          checkValue(field, values.get(i), path + "[" + i + "]", violations);
        }
      } else {
        checkValue(field, entry.getValue(), path, violations);
      }
    }
  }

  private static void checkValue(
      FieldDescriptor field, Object value, String path, FieldViolations violations) {
    if (field.getJavaType() == FieldDescriptor.JavaType.STRING) {
      problem((String) value).ifPresent(p -> violations.add(path, p));
    } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      check((Message) value, path + ".", violations);
    }
  }

  /** What is wrong with {@code text}, if anything. */
  static java.util.Optional<String> problem(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\u0000') {
        return java.util.Optional.of("must not contain the NUL character");
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
          continue;
        }
        return java.util.Optional.of("must be valid Unicode text (a lone surrogate was found)");
      }
      if (Character.isLowSurrogate(c)) {
        return java.util.Optional.of("must be valid Unicode text (a lone surrogate was found)");
      }
    }
    return java.util.Optional.empty();
  }
}
