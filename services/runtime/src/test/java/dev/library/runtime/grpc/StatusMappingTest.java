package dev.library.runtime.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.library.runtime.errors.AlreadyExistsException;
import dev.library.runtime.errors.DomainException;
import dev.library.runtime.errors.FieldViolations;
import dev.library.runtime.errors.NotAllowedException;
import dev.library.runtime.errors.NotFoundException;
import dev.library.runtime.errors.RuleBrokenException;
import dev.library.runtime.errors.ThrottledException;
import dev.library.runtime.errors.UnauthenticatedException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The one mapping of domain exceptions to gRPC status and google.rpc details, without a server. */
class StatusMappingTest {
  static Stream<Arguments> exceptions() {
    return Stream.of(
        Arguments.of(new NotFoundException("BOOK_NOT_FOUND", "book not found"), Status.Code.NOT_FOUND),
        Arguments.of(new AlreadyExistsException("NAME_TAKEN", "taken"), Status.Code.ALREADY_EXISTS),
        Arguments.of(
            new RuleBrokenException("NO_COPY_AVAILABLE", "none left"), Status.Code.FAILED_PRECONDITION),
        Arguments.of(new NotAllowedException("ROLE_REQUIRED", "no"), Status.Code.PERMISSION_DENIED),
        Arguments.of(
            new UnauthenticatedException("MISSING_TOKEN", "who?"), Status.Code.UNAUTHENTICATED));
  }

  @ParameterizedTest
  @MethodSource("exceptions")
  void everyDomainExceptionHasItsCodeAndAnErrorInfo(DomainException e, Status.Code code)
      throws Exception {
    StatusRuntimeException status = StatusMapping.toStatus(e);

    assertThat(status.getStatus().getCode()).isEqualTo(code);
    assertThat(status.getStatus().getDescription()).isEqualTo(e.getMessage());
    ErrorInfo info = errorInfo(status);
    assertThat(info.getReason()).isEqualTo(e.reason());
    assertThat(info.getDomain()).isEqualTo(StatusMapping.DOMAIN);
  }

  @Test
  void metadataTravelsInTheErrorInfo() throws Exception {
    StatusRuntimeException status =
        StatusMapping.toStatus(
            new NotAllowedException("ROLE_REQUIRED", "requires librarian", Map.of("roles", "librarian")));

    assertThat(errorInfo(status).getMetadataMap()).containsEntry("roles", "librarian");
  }

  @Test
  void fieldViolationsBecomeABadRequestBesideTheErrorInfo() throws Exception {
    StatusRuntimeException status =
        StatusMapping.toStatus(
            new FieldViolations().add("title", "is required").add("isbn", "is invalid").toException());

    assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    BadRequest bad = detail(status, BadRequest.class);
    assertThat(bad.getFieldViolationsList())
        .extracting(BadRequest.FieldViolation::getField)
        .containsExactly("title", "isbn");
    assertThat(errorInfo(status).getReason()).isEqualTo("INVALID_FIELDS");
  }

  @Test
  void throttlingTellsWhenToRetry() throws Exception {
    StatusRuntimeException status =
        StatusMapping.toStatus(new ThrottledException("LOGIN_THROTTLED", "slow down", Duration.ofSeconds(30), Map.of()));

    assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(detail(status, RetryInfo.class).getRetryDelay().getSeconds()).isEqualTo(30);
  }

  private static ErrorInfo errorInfo(StatusRuntimeException status) throws Exception {
    return detail(status, ErrorInfo.class);
  }

  private static <T extends com.google.protobuf.Message> T detail(
      StatusRuntimeException status, Class<T> type) throws Exception {
    for (com.google.protobuf.Any any : StatusProto.fromThrowable(status).getDetailsList()) {
      if (any.is(type)) {
        return any.unpack(type);
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " in " + status);
  }
}
