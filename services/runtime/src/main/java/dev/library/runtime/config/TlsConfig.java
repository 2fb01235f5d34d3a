package dev.library.runtime.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.AssertTrue;

/**
 * Transport security of the process's gRPC traffic. Off by default (a laptop needs no
 * certificates); each half turns on by naming its files, so a deployment can move to TLS one
 * side at a time: servers first (callers still plaintext fail loudly), then the callers.
 */
public class TlsConfig {
  /** PEM certificate chain every gRPC server of this process presents. */
  @JsonProperty private String certFile = "";

  /** PEM private key (PKCS#8) of {@link #certFile}. */
  @JsonProperty private String keyFile = "";

  /**
   * PEM CA certificates that the channels to other services (and the gateway's upstreams) trust.
   * Set: those channels use TLS and verify the peer's certificate against the host name of the
   * service's address; empty: they are plaintext.
   */
  @JsonProperty private String trustFile = "";

  public String getCertFile() {
    return certFile;
  }

  public void setCertFile(String certFile) {
    this.certFile = certFile;
  }

  public String getKeyFile() {
    return keyFile;
  }

  public void setKeyFile(String keyFile) {
    this.keyFile = keyFile;
  }

  public String getTrustFile() {
    return trustFile;
  }

  public void setTrustFile(String trustFile) {
    this.trustFile = trustFile;
  }

  /** Whether the gRPC servers of this process speak TLS. */
  @JsonIgnore
  public boolean serversUseTls() {
    return !blank(certFile);
  }

  /** Whether channels to other services speak TLS. */
  @JsonIgnore
  public boolean channelsUseTls() {
    return !blank(trustFile);
  }

  /** A certificate without its key (or the reverse) is a mistake, not "TLS off". */
  @JsonIgnore
  @AssertTrue(message = "tls.certFile and tls.keyFile must be set together")
  public boolean isCertificateComplete() {
    return blank(certFile) == blank(keyFile);
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }
}
