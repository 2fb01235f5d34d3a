package dev.library.gateway;

import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import com.linecorp.armeria.common.grpc.GrpcJsonMarshaller;
import io.grpc.MethodDescriptor.Marshaller;
import io.grpc.MethodDescriptor.PrototypeMarshaller;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The JSON side of Armeria's transcoding, done with protobuf's JsonFormat configured from Envoy's
 * print_options, so a response prints the same through the gateway as through Envoy. It works on
 * the {@link com.google.protobuf.DynamicMessage}s of the forwarding services like on any message.
 */
final class EnvoyJsonMarshaller implements GrpcJsonMarshaller {
  private final JsonFormat.Printer printer;
  private final JsonFormat.Parser parser;

  EnvoyJsonMarshaller(JsonFormat.Printer printer, JsonFormat.Parser parser) {
    this.printer = printer;
    this.parser = parser;
  }

  @Override
  public <T> void serializeMessage(Marshaller<T> marshaller, T message, OutputStream os)
      throws IOException {
    os.write(printer.print((MessageOrBuilder) message).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public <T> T deserializeMessage(Marshaller<T> marshaller, InputStream is) throws IOException {
    Message prototype = (Message) ((PrototypeMarshaller<T>) marshaller).getMessagePrototype();
    Message.Builder builder = prototype.newBuilderForType();
    parser.merge(new InputStreamReader(is, StandardCharsets.UTF_8), builder);
    @SuppressWarnings("unchecked")
    T message = (T) builder.build();
    return message;
  }
}
