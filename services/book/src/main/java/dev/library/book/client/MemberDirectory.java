package dev.library.book.client;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.library.auth.v1.AuthServiceGrpc;
import dev.library.auth.v1.BatchGetUsersRequest;
import dev.library.auth.v1.UserSummary;
import dev.library.book.core.Members;
import dev.library.runtime.grpc.Downstream;
import dev.library.runtime.grpc.ServiceChannels;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The Auth service's BatchGetUsers, with accounts found remembered for a while: accounts are not
 * deleted, so a remembered one stays true, and a librarian serving a member at the desk asks
 * about the same few ids again and again. Ids found to name nobody are asked again each time (the
 * account may have been registered since).
 */
public final class MemberDirectory implements Members {
  private static final Duration REMEMBERED = Duration.ofMinutes(5);

  private final Downstream downstream;
  private final AuthServiceGrpc.AuthServiceBlockingStub auth;
  private final Cache<UUID, Boolean> known =
      Caffeine.newBuilder().expireAfterWrite(REMEMBERED).maximumSize(100_000).build();

  public MemberDirectory(ServiceChannels channels) {
    this.downstream = channels.downstream("auth");
    this.auth = AuthServiceGrpc.newBlockingStub(channels.serviceChannel("auth"));
  }

  @Override
  public Set<UUID> existing(Collection<UUID> ids) {
    Set<UUID> found = new HashSet<>();
    BatchGetUsersRequest.Builder request = BatchGetUsersRequest.newBuilder();
    for (UUID id : ids) {
      if (known.getIfPresent(id) != null) {
        found.add(id);
      } else {
        request.addUserIds(id.toString());
      }
    }
    if (request.getUserIdsCount() > 0) {
      List<UserSummary> users =
          downstream.call(auth, stub -> stub.batchGetUsers(request.build())).getUsersList();
      for (UserSummary user : users) {
        UUID id = UUID.fromString(user.getUserId());
        known.put(id, Boolean.TRUE);
        found.add(id);
      }
    }
    return found;
  }
}
