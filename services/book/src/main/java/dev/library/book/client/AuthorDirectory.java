package dev.library.book.client;

import dev.library.author.v1.Author;
import dev.library.author.v1.AuthorServiceGrpc;
import dev.library.author.v1.BatchGetAuthorsRequest;
import dev.library.author.v1.SearchAuthorIdsRequest;
import dev.library.book.core.AuthorCatalog;
import dev.library.runtime.grpc.Downstream;
import dev.library.runtime.grpc.ServiceChannels;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The Author service as the Book service calls it: one batch call per page of books, one search
 * call per author-name filter, never one call per book. The core sees names and ids; the API
 * layer gets the full Author messages to embed in books.
 */
public final class AuthorDirectory implements AuthorCatalog {
  private final Downstream downstream;
  private final AuthorServiceGrpc.AuthorServiceBlockingStub authors;

  public AuthorDirectory(ServiceChannels channels) {
    this.downstream = channels.downstream("author");
    this.authors = AuthorServiceGrpc.newBlockingStub(channels.serviceChannel("author"));
  }

  /** The authors of these ids that exist (at most 100 ids: one page). */
  public Map<UUID, Author> authors(Collection<UUID> ids) {
    Map<UUID, Author> found = new LinkedHashMap<>();
    if (ids.isEmpty()) {
      return found;
    }
    BatchGetAuthorsRequest.Builder request = BatchGetAuthorsRequest.newBuilder();
    ids.forEach(id -> request.addIds(id.toString()));
    downstream
        .call(authors, stub -> stub.batchGetAuthors(request.build()))
        .getAuthorsList()
        .forEach(a -> found.put(UUID.fromString(a.getId()), a));
    return found;
  }

  @Override
  public Map<UUID, String> names(Collection<UUID> ids) {
    Map<UUID, String> names = new LinkedHashMap<>();
    authors(ids).forEach((id, author) -> names.put(id, author.getName()));
    return names;
  }

  @Override
  public List<UUID> idsMatching(String nameQuery) {
    return downstream
        .call(
            authors,
            stub ->
                stub.searchAuthorIds(
                    SearchAuthorIdsRequest.newBuilder().setNameQuery(nameQuery).build()))
        .getAuthorIdsList()
        .stream()
        .map(UUID::fromString)
        .toList();
  }
}
