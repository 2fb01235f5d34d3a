package dev.library.gateway;

import com.linecorp.armeria.common.HttpStatus;
import io.grpc.Status;
import java.util.Map;

/**
 * The gRPC code in the google.rpc.Status body of an answer the gateway makes by itself (a body
 * too large, a header block too long, a body that is not JSON, no such path): the code Envoy's
 * local_reply_config gives that HTTP status, so both edges answer alike, and {@link
 * HttpStatusMapping#grpcCode} for a status the file does not map.
 */
final class LocalReplyCodes {
  private final Map<Integer, Integer> fromEnvoy;

  LocalReplyCodes(Map<Integer, Integer> fromEnvoy) {
    this.fromEnvoy = Map.copyOf(fromEnvoy);
  }

  Status.Code codeFor(HttpStatus status) {
    Integer code = fromEnvoy.get(status.code());
    return code != null ? Status.fromCodeValue(code).getCode() : HttpStatusMapping.grpcCode(status);
  }
}
