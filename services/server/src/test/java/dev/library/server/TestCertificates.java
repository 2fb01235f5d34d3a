package dev.library.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway certificate authority and one server certificate for {@code localhost} signed by
 * it, written as the PEM files the {@code tls} block names: what {@code make certs} makes with
 * openssl, made here without it.
 */
record TestCertificates(Path caFile, Path certFile, Path keyFile) {

  /** A fresh CA, and a certificate for localhost / 127.0.0.1, in {@code directory}. */
  static TestCertificates create(Path directory, String caName) {
    try {
      KeyPair ca = keyPair();
      X509Certificate caCertificate =
          sign(new X500Name("CN=" + caName), ca, new X500Name("CN=" + caName), ca.getPublic(), true);
      KeyPair server = keyPair();
      X509Certificate serverCertificate =
          sign(new X500Name("CN=" + caName), ca, new X500Name("CN=localhost"), server.getPublic(), false);
      TestCertificates files =
          new TestCertificates(
              directory.resolve(caName + "-ca.pem"),
              directory.resolve(caName + "-server.pem"),
              directory.resolve(caName + "-server.key"));
      Files.writeString(files.caFile(), pem("CERTIFICATE", caCertificate.getEncoded()));
      Files.writeString(files.certFile(), pem("CERTIFICATE", serverCertificate.getEncoded()));
      Files.writeString(files.keyFile(), pem("PRIVATE KEY", pkcs8(server.getPrivate())));
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static X509Certificate sign(
      X500Name issuer, KeyPair issuerKeys, X500Name subject, java.security.PublicKey key, boolean ca)
      throws IOException, GeneralSecurityException, OperatorCreationException {
    Instant now = Instant.now();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            issuer,
            BigInteger.valueOf(now.toEpochMilli()).add(BigInteger.valueOf(System.nanoTime())),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(Duration.ofDays(1))),
            subject,
            key);
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    if (ca) {
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } else {
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(
                    GeneralName.iPAddress, InetAddress.getLoopbackAddress().getHostAddress())
              }));
    }
    ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate());
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }

  private static byte[] pkcs8(PrivateKey key) {
    return key.getEncoded(); // the JDK encodes private keys as PKCS#8
  }

  private static String pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }
}
