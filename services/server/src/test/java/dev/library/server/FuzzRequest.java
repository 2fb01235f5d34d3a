package dev.library.server;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One generated REST request, as bytes on the wire: method, the already percent-encoded target
 * (path and query), headers and body (null for none).
 *
 * @param operation the OpenAPI operation it was generated from
 * @param hostility what was done to it (a {@link HostileRequests.Hostility}, or NONE)
 * @param mustBeRefused whether no correct edge could answer it with a 2xx (a body that is not
 *     JSON, no token for a protected operation, ...)
 * @param echoes values the request carried, which an error message may quote back
 */
record FuzzRequest(
    String operation,
    String method,
    String target,
    Map<String, String> headers,
    byte[] body,
    String hostility,
    boolean mustBeRefused,
    List<String> echoes) {

  @Override
  public String toString() {
    String bodyText =
        body == null
            ? "(no body)"
            : new String(body, StandardCharsets.UTF_8)
                .replace("\u0000", "\\0");
    return operation
        + " ["
        + hostility
        + (mustBeRefused ? ", must be refused" : "")
        + "] "
        + method
        + " "
        + clip(target, 300)
        + " headers "
        + headers.keySet()
        + " content-type "
        + headers.getOrDefault("content-type", "-")
        + " body "
        + clip(bodyText, 400);
  }

  private static String clip(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max) + "… (" + text.length() + " chars)";
  }
}
