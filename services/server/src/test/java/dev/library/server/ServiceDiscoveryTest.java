package dev.library.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.library.api.ApiDescriptorSet;
import dev.library.runtime.module.ModuleRegistry;
import org.junit.jupiter.api.Test;

/**
 * The two ways the code finds services agree: the modules in the server jar (ServiceLoader) are
 * the services of the descriptor set. The repository files that must name each service are
 * checked against the descriptor set by envoy's ServiceFilesTest, so together every list of
 * services follows the modules.
 */
class ServiceDiscoveryTest {
  @Test
  void everyModuleServesAServiceOfTheDescriptorSetAndEveryServiceHasAModule() {
    assertThat(ModuleRegistry.discover().serviceNames())
        .containsExactlyInAnyOrderElementsOf(ApiDescriptorSet.fromClasspath().libraryServiceNames());
  }
}
