package dev.library.gateway;

import com.linecorp.armeria.common.HttpStatus;
import io.grpc.Status;

/**
 * The standard mapping between gRPC codes and HTTP statuses (google.rpc.Code's documentation,
 * the one Envoy and grpc-gateway use), both ways.
 */
final class HttpStatusMapping {
  private HttpStatusMapping() {}

  static HttpStatus httpStatus(Status.Code code) {
    return switch (code) {
      case OK -> HttpStatus.OK;
      case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> HttpStatus.BAD_REQUEST;
      case UNAUTHENTICATED -> HttpStatus.UNAUTHORIZED;
      case PERMISSION_DENIED -> HttpStatus.FORBIDDEN;
      case NOT_FOUND -> HttpStatus.NOT_FOUND;
      case ALREADY_EXISTS, ABORTED -> HttpStatus.CONFLICT;
      case RESOURCE_EXHAUSTED -> HttpStatus.TOO_MANY_REQUESTS;
      case CANCELLED -> HttpStatus.valueOf(499);
      case UNIMPLEMENTED -> HttpStatus.NOT_IMPLEMENTED;
      case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
      case DEADLINE_EXCEEDED -> HttpStatus.GATEWAY_TIMEOUT;
      case INTERNAL, UNKNOWN, DATA_LOSS -> HttpStatus.INTERNAL_SERVER_ERROR;
    };
  }

  /**
   * The code for an error the gateway answers itself with an HTTP status, when Envoy's
   * local_reply_config names none (see {@link LocalReplyCodes}). A status that stands for a code
   * gets that code; a request the edge refuses as sent (too large, too long, not JSON) is
   * INVALID_ARGUMENT like any 400: retrying it unchanged cannot succeed, whatever the state of
   * the system, which RESOURCE_EXHAUSTED would suggest.
   */
  static Status.Code grpcCode(HttpStatus status) {
    return switch (status.code()) {
      case 400, 411, 413, 414, 415, 431 -> Status.Code.INVALID_ARGUMENT;
      case 429 -> Status.Code.RESOURCE_EXHAUSTED;
      case 401 -> Status.Code.UNAUTHENTICATED;
      case 403 -> Status.Code.PERMISSION_DENIED;
      case 404 -> Status.Code.NOT_FOUND;
      case 405, 501 -> Status.Code.UNIMPLEMENTED;
      case 408, 504 -> Status.Code.DEADLINE_EXCEEDED;
      case 409 -> Status.Code.ABORTED;
      case 412 -> Status.Code.FAILED_PRECONDITION;
      case 499 -> Status.Code.CANCELLED;
      case 502, 503 -> Status.Code.UNAVAILABLE;
      default -> status.code() >= 500 ? Status.Code.INTERNAL : Status.Code.UNKNOWN;
    };
  }
}
