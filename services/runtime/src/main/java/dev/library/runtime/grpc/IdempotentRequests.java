package dev.library.runtime.grpc;

import dev.library.runtime.BackgroundThreads;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.library.runtime.db.RequestOutcomeDao;
import dev.library.runtime.db.RequestOutcomeDao.Key;
import dev.library.runtime.errors.FieldViolations;
import dev.library.runtime.errors.Ids;
import dev.library.runtime.errors.RuleBrokenException;
import dev.library.runtime.errors.UnavailableException;
import dev.library.runtime.security.Caller;
import io.dropwizard.lifecycle.Managed;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Deadline;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;
import io.grpc.protobuf.StatusProto;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Safe retries (AIP-155) for every RPC whose request has a {@code request_id} field. The first
 * attempt with an id claims it in the service's ledger; whatever the attempt commits also marks
 * the claim applied in the same transaction ({@link
 * dev.library.runtime.db.LedgerMarkingTransactionHandler}); its answer is then recorded. A retry
 * by the same caller with the same id and the same request gets the recorded answer without the
 * work being done again; one that arrives while the first still runs waits for it (a client that
 * timed out at the edge and retries gets the first attempt's answer, not a second loan). An
 * attempt that failed without changing anything (the database or a dependency was down) leaves
 * no record, so its retry runs afresh. Records are kept for {@code retention} (24 hours).
 */
public final class IdempotentRequests implements ServerInterceptor, Managed {
  private static final Logger LOG = LoggerFactory.getLogger(IdempotentRequests.class);
  public static final String FIELD = "request_id";
  /** Sent in the response headers of an answer replayed from the ledger. */
  public static final Metadata.Key<String> REPLAYED =
      Metadata.Key.of("library-replayed", Metadata.ASCII_STRING_MARSHALLER);

  private static final Context.Key<Attempt> ATTEMPT = Context.key("library-request-attempt");
  /** Refusals that depend only on the request and the state it met: replayed as they were. */
  private static final Set<Status.Code> DEFINITE =
      Set.of(
          Status.Code.OK,
          Status.Code.INVALID_ARGUMENT,
          Status.Code.NOT_FOUND,
          Status.Code.ALREADY_EXISTS,
          Status.Code.FAILED_PRECONDITION,
          Status.Code.PERMISSION_DENIED,
          Status.Code.OUT_OF_RANGE);

  private final Jdbi jdbi;
  private final ExceptionTranslatingInterceptor translator;
  private final Duration lease;
  private final Duration retention;
  private final Duration maxWait;
  private final Map<String, Optional<FieldDescriptor>> fields = new ConcurrentHashMap<>();
  private ScheduledExecutorService purger;

  /**
   * @param lease how long a first attempt keeps its claim; longer than any call may run
   * @param retention how long answers are kept for retries
   * @param maxWait how long a retry waits for a first attempt still running
   */
  public IdempotentRequests(
      Jdbi jdbi,
      ExceptionTranslatingInterceptor translator,
      Duration lease,
      Duration retention,
      Duration maxWait) {
    this.jdbi = jdbi;
    this.translator = translator;
    this.lease = lease;
    this.retention = retention;
    this.maxWait = maxWait;
  }

  /** The request being served on this thread, if it carries a request_id it owns. */
  public static Optional<Key> currentRequest() {
    Attempt attempt = ATTEMPT.get();
    return attempt == null ? Optional.empty() : Optional.ofNullable(attempt.key);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    Optional<FieldDescriptor> field =
        fields.computeIfAbsent(
            call.getMethodDescriptor().getFullMethodName(),
            name -> requestIdField(call.getMethodDescriptor()));
    if (field.isEmpty()) {
      return next.startCall(call, headers);
    }
    Attempt attempt = new Attempt();
    Recording<Q, R> recording = new Recording<>(call, attempt);
    Context context = Context.current().withValue(ATTEMPT, attempt);
    ServerCall.Listener<Q> service = Contexts.interceptCall(context, recording, headers, next);
    return new ServerCall.Listener<>() {
      private Q request;

      @Override
      public void onMessage(Q message) {
        request = message;
      }

      @Override
      public void onHalfClose() {
        boolean run;
        try {
          run = request == null || begin(attempt, (Message) request, field.get(), recording);
        } catch (RuntimeException e) {
          StatusRuntimeException status = translator.translate(e, call);
          call.close(status.getStatus(), trailersOf(status));
          return;
        }
        if (!run) {
          return;
        }
        if (request != null) {
          service.onMessage(request);
        }
        service.onHalfClose();
      }

      @Override
      public void onCancel() {
        service.onCancel();
      }

      @Override
      public void onComplete() {
        service.onComplete();
      }

      @Override
      public void onReady() {
        service.onReady();
      }
    };
  }

  /**
   * Decides what to do with the request: true when this attempt runs it; false when the answer
   * was given from the ledger (or the request was refused) and the call is closed.
   */
  private <Q, R> boolean begin(
      Attempt attempt, Message request, FieldDescriptor field, Recording<Q, R> call) {
    String requestId = (String) request.getField(field);
    if (requestId.isEmpty()) {
      return true;
    }
    if (!Ids.isUuid(requestId)) {
      throw FieldViolations.of(FIELD, "must be a UUID (the client picks a new one per operation)");
    }
    Key key =
        new Key(
            callerOf(CallerContext.current()),
            call.getMethodDescriptor().getFullMethodName(),
            UUID.fromString(requestId));
    byte[] fingerprint = fingerprint(request, field);
    long waitUntil = System.nanoTime() + waitBudget().toNanos();
    long pause = 20;
    while (true) {
      if (jdbi.withHandle(h -> new RequestOutcomeDao(h).claim(key, fingerprint, lease))) {
        attempt.key = key;
        return true;
      }
      Optional<RequestOutcomeDao.Stored> stored =
          jdbi.withHandle(h -> new RequestOutcomeDao(h).find(key));
      if (stored.isEmpty()) {
        continue; // the first attempt changed nothing and let go of the id: claim it again
      }
      if (!Arrays.equals(stored.get().fingerprint(), fingerprint)) {
        throw FieldViolations.of(
            FIELD, "was already used by this caller for a different request; pick a new one");
      }
      if (stored.get().finished()) {
        replay(call, stored.get());
        return false;
      }
      if (stored.get().claimExpired()) {
        if (stored.get().applied()) {
          throw new RuleBrokenException(
              "REQUEST_OUTCOME_LOST",
              "the first attempt with this request_id took effect, but its answer was lost when"
                  + " the server stopped; read the resource to see the result",
              Map.of(FIELD, requestId));
        }
        if (jdbi.withHandle(h -> new RequestOutcomeDao(h).takeOver(key, lease))) {
          attempt.key = key;
          return true;
        }
        continue;
      }
      if (System.nanoTime() > waitUntil) {
        throw new UnavailableException(
            "REQUEST_IN_PROGRESS",
            "an earlier attempt with this request_id is still running; retry later with the same"
                + " request_id",
            Map.of(FIELD, requestId));
      }
      sleep(pause);
      pause = Math.min(pause * 2, 200);
    }
  }

  private Duration waitBudget() {
    Deadline deadline = Context.current().getDeadline();
    if (deadline == null) {
      return maxWait;
    }
    long left = deadline.timeRemaining(TimeUnit.MILLISECONDS) - 100;
    return Duration.ofMillis(Math.max(0, Math.min(left, maxWait.toMillis())));
  }

  private <Q, R> void replay(Recording<Q, R> call, RequestOutcomeDao.Stored stored) {
    com.google.rpc.Status status;
    try {
      status = com.google.rpc.Status.parseFrom(stored.status());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("unreadable request outcome", e);
    }
    Metadata headers = new Metadata();
    headers.put(REPLAYED, "true");
    if (status.getCode() == Status.Code.OK.value()) {
      R response =
          call.getMethodDescriptor().parseResponse(new ByteArrayInputStream(stored.response()));
      call.delegate().sendHeaders(headers);
      call.delegate().sendMessage(response);
      call.delegate().close(Status.OK, new Metadata());
      return;
    }
    StatusRuntimeException error = StatusProto.toStatusRuntimeException(status);
    call.delegate().sendHeaders(headers);
    call.delegate().close(error.getStatus(), trailersOf(error));
  }

  /** Records the answer of the attempt that owns the id, then sends it. */
  private final class Recording<Q, R> extends SimpleForwardingServerCall<Q, R> {
    private final Attempt attempt;
    private byte[] response;

    Recording(ServerCall<Q, R> delegate, Attempt attempt) {
      super(delegate);
      this.attempt = attempt;
    }

    @Override
    protected ServerCall<Q, R> delegate() {
      return super.delegate();
    }

    @Override
    public void sendMessage(R message) {
      if (attempt.key != null) {
        response = bytes(getMethodDescriptor().streamResponse(message));
      }
      super.sendMessage(message);
    }

    @Override
    public void close(Status status, Metadata trailers) {
      Key key = attempt.key;
      if (key != null) {
        attempt.key = null;
        record(key, status, trailers);
      }
      super.close(status, trailers);
    }

    private void record(Key key, Status status, Metadata trailers) {
      byte[] rpcStatus = StatusProto.fromStatusAndTrailers(status, trailers).toByteArray();
      try {
        jdbi.useHandle(
            h -> {
              RequestOutcomeDao ledger = new RequestOutcomeDao(h);
              if (DEFINITE.contains(status.getCode())) {
                ledger.finish(key, rpcStatus, status.isOk() ? response : null);
              } else if (!ledger.releaseUnapplied(key)) {
                // It took effect and then failed: that failure is its answer from now on.
                ledger.finish(key, rpcStatus, null);
              }
            });
      } catch (RuntimeException e) {
        LOG.warn(
            "the answer to {} request {} was sent but not recorded ({}); a retry will find it"
                + " in progress until its claim expires",
            key.method(),
            key.requestId(),
            e.getMessage());
      }
    }
  }

  private static final class Attempt {
    volatile Key key;
  }

  private static String callerOf(Caller caller) {
    if (caller.isUser()) {
      return "user:" + caller.userId();
    }
    return caller.isService() ? "service" : "anonymous";
  }

  private static Optional<FieldDescriptor> requestIdField(MethodDescriptor<?, ?> method) {
    if (!(method.getSchemaDescriptor() instanceof ProtoMethodDescriptorSupplier proto)) {
      return Optional.empty();
    }
    Descriptor input = proto.getMethodDescriptor().getInputType();
    FieldDescriptor field = input.findFieldByName(FIELD);
    return field != null
            && field.getJavaType() == FieldDescriptor.JavaType.STRING
            && !field.isRepeated()
        ? Optional.of(field)
        : Optional.empty();
  }

  private static byte[] fingerprint(Message request, FieldDescriptor field) {
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest(request.toBuilder().clearField(field).build().toByteArray());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Metadata trailersOf(StatusRuntimeException e) {
    return e.getTrailers() == null ? new Metadata() : e.getTrailers();
  }

  private static byte[] bytes(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("REQUEST_IN_PROGRESS", "interrupted while waiting", e);
    }
  }

  @Override
  public void start() {
    purger =
        BackgroundThreads.scheduler("request-outcome-purge");
    purger.scheduleWithFixedDelay(this::purgeQuietly, 1, 60, TimeUnit.MINUTES);
  }

  @Override
  public void stop() throws InterruptedException {
    if (purger != null) {
      purger.shutdownNow();
      purger.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** Drops answers older than the retention; returns how many. */
  public int purge() {
    return jdbi.withHandle(h -> new RequestOutcomeDao(h).purgeOlderThan(retention));
  }

  private void purgeQuietly() {
    try {
      int purged = purge();
      if (purged > 0) {
        LOG.info("forgot {} request outcomes older than {}", purged, retention);
      }
    } catch (RuntimeException e) {
      LOG.warn("request outcomes not purged now ({})", e.getMessage());
    }
  }
}
