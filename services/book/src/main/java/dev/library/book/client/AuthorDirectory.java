package dev.library.book.client;

import dev.library.author.v1.Author;
import dev.library.author.v1.AuthorServiceGrpc;
import dev.library.author.v1.BatchGetAuthorsRequest;
import dev.library.author.v1.SearchAuthorIdsRequest;
import dev.library.author.v1.SearchAuthorIdsResponse;
import dev.library.runtime.grpc.Downstream;
import io.grpc.Channel;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What the Book service asks the Author service: one batch call per page of books, one search
 * call per author-name filter, never one call per book.
 */
public class AuthorDirectory {
  private static final String SERVICE = "author";
  private static final long DEADLINE_MS = 5_000;

  private final AuthorServiceGrpc.AuthorServiceBlockingStub authors;

  public AuthorDirectory(Channel channel) {
    this.authors = AuthorServiceGrpc.newBlockingStub(channel);
  }

  /** The authors of these ids that exist (at most 100 ids: one page). */
  public Map<UUID, Author> authors(Collection<UUID> ids) {
    Map<UUID, Author> found = new LinkedHashMap<>();
    if (ids.isEmpty()) {
      return found;
    }
    BatchGetAuthorsRequest.Builder request = BatchGetAuthorsRequest.newBuilder();
    ids.forEach(id -> request.addIds(id.toString()));
    Downstream.call(
            SERVICE,
            () ->
                authors
                    .withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS)
                    .batchGetAuthors(request.build()))
        .getAuthorsList()
        .forEach(a -> found.put(UUID.fromString(a.getId()), a));
    return found;
  }

  /** Ids of the authors whose name contains the text, and whether the list was cut short. */
  public Matches matching(String nameQuery) {
    SearchAuthorIdsResponse response =
        Downstream.call(
            SERVICE,
            () ->
                authors
                    .withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS)
                    .searchAuthorIds(
                        SearchAuthorIdsRequest.newBuilder().setNameQuery(nameQuery).build()));
    return new Matches(
        response.getAuthorIdsList().stream().map(UUID::fromString).toList(),
        response.getTruncated());
  }

  /** Author ids matching a name query. */
  public record Matches(List<UUID> ids, boolean truncated) {}
}
