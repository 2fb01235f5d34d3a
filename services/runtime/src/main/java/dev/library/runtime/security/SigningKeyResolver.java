package dev.library.runtime.security;

import java.security.interfaces.RSAPublicKey;

/** Finds the public key of a {@code kid}. */
public interface SigningKeyResolver {
  /**
   * @throws InvalidTokenException when no key has that id
   * @throws io.grpc.StatusRuntimeException UNAVAILABLE when the keys cannot be fetched now
   */
  RSAPublicKey publicKey(String kid) throws InvalidTokenException;
}
