package dev.library.author.client;

import dev.library.author.core.BookReferences;
import dev.library.book.v1.BookServiceGrpc;
import dev.library.book.v1.CountBooksByAuthorRequest;
import dev.library.runtime.errors.ApiErrors;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** BookReferences over the Book service's internal CountBooksByAuthor RPC. */
public final class GrpcBookReferences implements BookReferences {
  private final BookServiceGrpc.BookServiceBlockingStub books;

  public GrpcBookReferences(Channel bookChannel) {
    this.books = BookServiceGrpc.newBlockingStub(bookChannel);
  }

  @Override
  public int countBooksByAuthor(UUID authorId) {
    try {
      return books
          .withDeadlineAfter(5, TimeUnit.SECONDS)
          .countBooksByAuthor(
              CountBooksByAuthorRequest.newBuilder().setAuthorId(authorId.toString()).build())
          .getCount();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNAVAILABLE
          || e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
        throw ApiErrors.unavailable(
            "the book service cannot be asked whether books name this author; nothing was "
                + "deleted, retry later");
      }
      throw e;
    }
  }
}
