package dev.library.runtime.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ModuleRegistryTest {
  private final ModuleRegistry registry = ModuleRegistry.discover();

  @Test
  void allSelectsEveryModuleOnTheClasspath() {
    assertThat(registry.select("all")).extracting(ServiceModule::name).contains("probe");
  }

  @Test
  void aTargetListSelectsByName() {
    assertThat(registry.select(" probe , probe")).extracting(ServiceModule::name).containsExactly("probe");
  }

  @Test
  void anUnknownTargetNamesTheValidOnes() {
    assertThatThrownBy(() -> registry.select("probe,catalogue"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown target 'catalogue'")
        .hasMessageContaining("probe");
  }
}
