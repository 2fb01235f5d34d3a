package dev.library.gateway;

import com.linecorp.armeria.common.FlagsProvider;

/**
 * Armeria's process-wide defaults where the gateway's traffic differs from what they assume.
 * Found through {@code META-INF/services}; an {@code -Dcom.linecorp.armeria.*} property still
 * wins (Armeria's system-property provider has the highest priority).
 */
public final class GatewayFlags implements FlagsProvider {
  @Override
  public int priority() {
    return 100;
  }

  @Override
  public String name() {
    return "library-gateway";
  }

  /*
   * Armeria caches routing results and parsed request targets by path. The REST paths carry ids
   * (/api/v1/books/{id}), so nearly every request is a miss that inserts into a bounded Caffeine
   * cache and evicts from it, with maintenance on the common ForkJoin pool: a profile of GetBook
   * over REST found these caches costing ~5% of the gateway's event-loop time and saving nothing.
   * Routing without them is a walk of the gateway's few routes.
   */

  @Override
  public String routeCacheSpec() {
    return "off";
  }

  @Override
  public String routeDecoratorCacheSpec() {
    return "off";
  }

  @Override
  public String parsedPathCacheSpec() {
    return "off";
  }
}
