package dev.library.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.library.runtime.testing.LibrarySystem;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Tools such as grpcurl find the API by server reflection, without a token. */
class DiscoveryTest {
  @Test
  void reflectionListsTheServices() throws Exception {
    try (LibrarySystem system = LibrarySystem.start("auth")) {
      CompletableFuture<List<String>> names = new CompletableFuture<>();
      StreamObserver<ServerReflectionRequest> requests =
          ServerReflectionGrpc.newStub(system.channel("auth"))
              .serverReflectionInfo(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse response) {
                      names.complete(
                          response.getListServicesResponse().getServiceList().stream()
                              .map(ServiceResponse::getName)
                              .toList());
                    }

                    @Override
                    public void onError(Throwable t) {
                      names.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {}
                  });
      requests.onNext(ServerReflectionRequest.newBuilder().setListServices("*").build());
      assertThat(names.get(10, TimeUnit.SECONDS))
          .contains("library.auth.v1.AuthService", "grpc.health.v1.Health");
      requests.onCompleted();
    }
  }
}
