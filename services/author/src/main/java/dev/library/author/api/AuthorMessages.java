package dev.library.author.api;

import static dev.library.runtime.grpc.Replies.timestamp;

import dev.library.author.db.AuthorRow;
import dev.library.author.v1.Author;

/** Rows to API messages. */
final class AuthorMessages {
  private AuthorMessages() {}

  static Author toProto(AuthorRow row) {
    return Author.newBuilder()
        .setId(row.id().toString())
        .setName(row.name())
        .setBiography(row.biography())
        .setBirthDate(row.birthDate() == null ? "" : row.birthDate().toString())
        .setCreatedAt(timestamp(row.createdAt()))
        .setUpdatedAt(timestamp(row.updatedAt()))
        .build();
  }
}
