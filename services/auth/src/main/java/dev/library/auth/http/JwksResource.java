package dev.library.auth.http;

import dev.library.auth.core.SigningKeys;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The public signing keys, for every service that verifies access tokens. */
@Path("/.well-known/jwks.json")
public final class JwksResource {
  private final SigningKeys keys;

  public JwksResource(SigningKeys keys) {
    this.keys = keys;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Response jwks() {
    CacheControl cache = new CacheControl();
    cache.setMaxAge(300);
    return Response.ok(keys.jwks()).cacheControl(cache).build();
  }
}
