package dev.library.author.api;

import static dev.library.runtime.grpc.Replies.reply;

import dev.library.author.core.AuthorDeletion;
import dev.library.author.core.Authors;
import dev.library.author.db.AuthorRow;
import dev.library.runtime.api.ListPage;
import dev.library.runtime.api.Lookup;
import dev.library.author.v1.AuthorServiceGrpc;
import dev.library.author.v1.BatchGetAuthorsRequest;
import dev.library.author.v1.BatchGetAuthorsResponse;
import dev.library.author.v1.CreateAuthorRequest;
import dev.library.author.v1.CreateAuthorResponse;
import dev.library.author.v1.DeleteAuthorRequest;
import dev.library.author.v1.DeleteAuthorResponse;
import dev.library.author.v1.GetAuthorRequest;
import dev.library.author.v1.GetAuthorResponse;
import dev.library.author.v1.ListAuthorsRequest;
import dev.library.author.v1.ListAuthorsResponse;
import dev.library.author.v1.SearchAuthorIdsRequest;
import dev.library.author.v1.SearchAuthorIdsResponse;
import dev.library.author.v1.UpdateAuthorRequest;
import dev.library.author.v1.UpdateAuthorResponse;
import io.grpc.stub.StreamObserver;
import java.util.UUID;

/**
 * The AuthorService RPCs, one method each, reading like author.proto (which also says who may
 * call each).
 */
public final class AuthorGrpcService extends AuthorServiceGrpc.AuthorServiceImplBase {
  private final Authors authors;
  private final AuthorDeletion deletion;

  public AuthorGrpcService(Authors authors, AuthorDeletion deletion) {
    this.authors = authors;
    this.deletion = deletion;
  }

  @Override
  public void createAuthor(
      CreateAuthorRequest request, StreamObserver<CreateAuthorResponse> response) {
    var row = authors.create(request.getName(), request.getBiography(), request.getBirthDate());
    reply(response, CreateAuthorResponse.newBuilder().setAuthor(AuthorMessages.toProto(row)).build());
  }

  @Override
  public void getAuthor(GetAuthorRequest request, StreamObserver<GetAuthorResponse> response) {
    reply(
        response,
        GetAuthorResponse.newBuilder()
            .setAuthor(AuthorMessages.toProto(authors.get(request.getId())))
            .build());
  }

  @Override
  public void updateAuthor(
      UpdateAuthorRequest request, StreamObserver<UpdateAuthorResponse> response) {
    var row =
        authors.update(
            request.getId(), request.getName(), request.getBiography(), request.getBirthDate());
    reply(response, UpdateAuthorResponse.newBuilder().setAuthor(AuthorMessages.toProto(row)).build());
  }

  @Override
  public void deleteAuthor(
      DeleteAuthorRequest request, StreamObserver<DeleteAuthorResponse> response) {
    deletion.delete(request.getId());
    reply(response, DeleteAuthorResponse.newBuilder().setSuccess(true).build());
  }

  @Override
  public void listAuthors(ListAuthorsRequest request, StreamObserver<ListAuthorsResponse> response) {
    ListPage<AuthorRow> page =
        authors.list(
            request.getPage(), request.getPageSize(), request.getPageToken(), request.getNameQuery());
    ListAuthorsResponse.Builder out =
        ListAuthorsResponse.newBuilder()
            .setTotal(page.total())
            .setTotalIsLowerBound(page.totalIsLowerBound())
            .setPage(page.page())
            .setPageSize(page.pageSize())
            .setNextPageToken(page.nextPageToken());
    page.rows().forEach(a -> out.addAuthors(AuthorMessages.toProto(a)));
    reply(response, out.build());
  }

  @Override
  public void batchGetAuthors(
      BatchGetAuthorsRequest request, StreamObserver<BatchGetAuthorsResponse> response) {
    Lookup<AuthorRow> batch = authors.batchGet(request.getIdsList());
    BatchGetAuthorsResponse.Builder out = BatchGetAuthorsResponse.newBuilder();
    batch.found().forEach(a -> out.addAuthors(AuthorMessages.toProto(a)));
    batch.missing().stream().map(UUID::toString).forEach(out::addMissingIds);
    reply(response, out.build());
  }

  @Override
  public void searchAuthorIds(
      SearchAuthorIdsRequest request, StreamObserver<SearchAuthorIdsResponse> response) {
    Authors.Search search = authors.searchIds(request.getNameQuery(), request.getLimit());
    SearchAuthorIdsResponse.Builder out =
        SearchAuthorIdsResponse.newBuilder().setTruncated(search.truncated());
    search.ids().stream().map(UUID::toString).forEach(out::addAuthorIds);
    reply(response, out.build());
  }
}
