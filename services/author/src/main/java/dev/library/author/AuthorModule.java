package dev.library.author;

import dev.library.author.api.AuthorGrpcService;
import dev.library.author.client.GrpcBookReferences;
import dev.library.author.core.AuthorDeletion;
import dev.library.author.core.Authors;
import dev.library.runtime.module.ModuleContext;
import dev.library.runtime.module.ServiceModule;
import io.grpc.BindableService;
import java.time.Clock;
import java.util.List;

/** The author service: the people who wrote the library's books. */
public final class AuthorModule implements ServiceModule {
  @Override
  public String name() {
    return "author";
  }

  @Override
  public int defaultGrpcPort() {
    return 50052;
  }

  @Override
  public List<BindableService> start(ModuleContext context) {
    Authors authors = new Authors(context.jdbi(), Clock.systemUTC(), context.pageTokens());
    AuthorDeletion deletion =
        new AuthorDeletion(
            authors, new GrpcBookReferences(context.channels()));
    return List.of(new AuthorGrpcService(authors, deletion));
  }
}
