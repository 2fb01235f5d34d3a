package dev.library.envoy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * envoy/envoy.yaml against Envoy's own v3 API protos (io.envoyproxy.controlplane:api), without an
 * Envoy binary: the file must parse into a Bootstrap, and the parse must reject what Envoy
 * rejects at load time. (Envoy's protoc-gen-validate rules, such as minimum lengths, are not
 * checked here; EnvoyConfigTest checks the values that matter.)
 */
class EnvoySchemaTest {

  @Test
  void envoyYamlIsAValidV3Bootstrap() throws InvalidProtocolBufferException {
    Bootstrap bootstrap = RepoFiles.parseBootstrap(RepoFiles.read("envoy/envoy.yaml"));

    assertThat(bootstrap.getStaticResources().getListenersCount()).isEqualTo(1);
    assertThat(bootstrap.getStaticResources().getClustersList())
        .extracting(c -> c.getName())
        .containsExactlyInAnyOrderElementsOf(
            java.util.stream.Stream.concat(
                    RepoFiles.SERVICES.stream(), java.util.stream.Stream.of("docs", "otel_collector"))
                .toList());
  }

  /**
   * The check itself must bite: each mutation of the real file (a misspelt field at the top, in
   * a listener, inside a typed_config, a wrong value type, an unknown @type) must fail the parse.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "misspelt top-level field      | static_resources:              | static_resource:",
        "misspelt field in a cluster   | lb_policy: ROUND_ROBIN         | lb_polcy: ROUND_ROBIN",
        "misspelt field in typed_config| convert_grpc_status: true      | convert_grpc_statuss: true",
        "misspelt nested option        | reject_unknown_method: true    | reject_unknow_method: true",
        "misspelt per-filter config    | disabled: true                 | disable: true",
        "wrong value type              | port_value: 8080               | port_value: eighty",
        "unknown enum value            | codec_type: AUTO               | codec_type: AUTOMATIC",
        "unknown typed_config type     | filters.http.buffer.v3.Buffer  | filters.http.buffer.v3.Bufer",
        "bad duration                  | timeout: 15s                   | timeout: fifteen",
        "misspelt header limit         | max_request_headers_kb: 32     | max_request_header_kb: 32",
        "misspelt rate-limit option    | rate_limited_as_resource_exhausted | rate_limited_as_resource_exhaustd",
        "misspelt local-reply format   | body_format_override:          | body_format_overide:",
        "wrong type in a header match  | present_match: true            | present_match: sometimes",
      })
  void aBrokenCopyIsRejected(String what, String original, String broken) {
    String text = RepoFiles.read("envoy/envoy.yaml");
    assertThat(text).as("the mutation must apply to the real file").contains(original);
    String mutated = text.replaceFirst(java.util.regex.Pattern.quote(original), broken);

    assertThatThrownBy(() -> RepoFiles.parseBootstrap(mutated))
        .as(what)
        .isInstanceOf(InvalidProtocolBufferException.class);
  }
}
