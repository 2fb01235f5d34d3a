package dev.library.gateway;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import io.grpc.Metadata;
import io.grpc.Status;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Error bodies as Envoy's transcoder writes them with convert_grpc_status: a {@code
 * google.rpc.Status} in JSON, its details printed by type ({@code "@type"}), under the HTTP status
 * that stands for the gRPC code.
 */
final class RpcStatusJson {
  static final Metadata.Key<byte[]> STATUS_DETAILS =
      Metadata.Key.of("grpc-status-details-bin", Metadata.BINARY_BYTE_MARSHALLER);

  private static final Logger LOG = LoggerFactory.getLogger(RpcStatusJson.class);

  private final JsonFormat.Printer printer;

  RpcStatusJson(JsonFormat.Printer printer) {
    this.printer = printer;
  }

  /** The response for a gRPC status and the serialized google.rpc.Status of its trailers. */
  AggregatedHttpResponse response(Status status, byte[] statusDetails) {
    com.google.rpc.Status rpc = rpcStatus(status, statusDetails);
    AggregatedHttpResponse response =
        response(HttpStatusMapping.httpStatus(status.getCode()), rpc);
    return RetryAfter.from(rpc)
        .map(
            seconds ->
                AggregatedHttpResponse.of(
                    response.headers().toBuilder()
                        .set(HttpHeaderNames.RETRY_AFTER, Long.toString(seconds))
                        .build(),
                    response.content()))
        .orElse(response);
  }

  /** The response for an error the gateway answers itself. */
  AggregatedHttpResponse response(HttpStatus httpStatus, Status.Code code, String message) {
    return response(
        httpStatus,
        com.google.rpc.Status.newBuilder()
            .setCode(code.value())
            .setMessage(message == null ? "" : message)
            .build());
  }

  AggregatedHttpResponse response(HttpStatus httpStatus, com.google.rpc.Status status) {
    return AggregatedHttpResponse.of(
        httpStatus, MediaType.JSON_UTF_8, print(status).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The code and message of the gRPC status, with the details of the upstream's own
   * google.rpc.Status when it sent one.
   */
  static com.google.rpc.Status rpcStatus(Status status, byte[] statusDetails) {
    com.google.rpc.Status.Builder rpc =
        com.google.rpc.Status.newBuilder()
            .setCode(status.getCode().value())
            .setMessage(status.getDescription() == null ? "" : status.getDescription());
    if (statusDetails != null) {
      try {
        rpc.addAllDetails(com.google.rpc.Status.parseFrom(statusDetails).getDetailsList());
      } catch (InvalidProtocolBufferException e) {
        LOG.warn("the upstream sent an unreadable grpc-status-details-bin; details dropped", e);
      }
    }
    return rpc.build();
  }

  private String print(com.google.rpc.Status status) {
    try {
      return printer.print(status);
    } catch (InvalidProtocolBufferException e) {
      // A detail of a type the gateway does not know: keep the ones it can print.
      com.google.rpc.Status.Builder printable = status.toBuilder().clearDetails();
      for (Any detail : status.getDetailsList()) {
        try {
          printer.print(detail);
          printable.addDetails(detail);
        } catch (InvalidProtocolBufferException unknown) {
          LOG.debug("dropping error detail of unknown type {}", detail.getTypeUrl());
        }
      }
      try {
        return printer.print(printable.build());
      } catch (InvalidProtocolBufferException impossible) {
        throw new IllegalStateException(impossible);
      }
    }
  }

  /** grpc-message is percent-encoded on the wire (gRPC's HTTP/2 protocol). */
  static String unescape(String message) {
    if (message == null || message.indexOf('%') < 0) {
      return message;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(message.length());
    byte[] raw = message.getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] == '%' && i + 2 < raw.length) {
        int hi = Character.digit(raw[i + 1], 16);
        int lo = Character.digit(raw[i + 2], 16);
        if (hi >= 0 && lo >= 0) {
          bytes.write((hi << 4) | lo);
          i += 2;
          continue;
        }
      }
      bytes.write(raw[i]);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
