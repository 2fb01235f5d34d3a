package dev.library.author.client;

import dev.library.author.core.BookReferences;
import dev.library.book.v1.BookServiceGrpc;
import dev.library.book.v1.CountBooksByAuthorRequest;
import dev.library.runtime.grpc.Downstream;
import dev.library.runtime.grpc.ServiceChannels;
import java.util.UUID;

/** BookReferences over the Book service's internal CountBooksByAuthor RPC. */
public final class GrpcBookReferences implements BookReferences {
  private final Downstream downstream;
  private final BookServiceGrpc.BookServiceBlockingStub books;

  public GrpcBookReferences(ServiceChannels channels) {
    this.downstream = channels.downstream("book");
    this.books = BookServiceGrpc.newBlockingStub(channels.serviceChannel("book"));
  }

  @Override
  public int countBooksByAuthor(UUID authorId) {
    return downstream
        .call(
            books,
            stub ->
                stub.countBooksByAuthor(
                    CountBooksByAuthorRequest.newBuilder().setAuthorId(authorId.toString()).build()))
        .getCount();
  }
}
