package dev.library.category;

import dev.library.category.api.CategoryGrpcService;
import dev.library.category.core.Categories;
import dev.library.category.core.ItemLinks;
import dev.library.runtime.module.ModuleContext;
import dev.library.runtime.module.ServiceModule;
import io.grpc.BindableService;
import java.util.List;

/** The category service: categories, and which items (books) belong to them. */
public final class CategoryModule implements ServiceModule {
  @Override
  public String name() {
    return "category";
  }

  @Override
  public int defaultGrpcPort() {
    return 50053;
  }

  @Override
  public List<BindableService> start(ModuleContext context) {
    return List.of(
        new CategoryGrpcService(
            new Categories(context.jdbi(), context.pageTokens()),
            new ItemLinks(context.jdbi())));
  }
}
