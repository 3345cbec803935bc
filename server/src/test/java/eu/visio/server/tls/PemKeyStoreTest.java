package eu.visio.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.visio.server.tls.TlsFiles.KeyForm;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class PemKeyStoreTest {
  private static final char[] PASSWORD = "p".toCharArray();

  /** Every key form certbot, OpenSSL and CAs hand out, for RSA and EC, reads into a key store. */
  @Test
  void everyUsualKeyFormReads() throws Exception {
    record Case(String name, Supplier<KeyPair> keys, KeyForm form, String header) {}
    List<Case> table =
        List.of(
            new Case("RSA PKCS#8", TlsFiles::rsa, KeyForm.PKCS8, "-----BEGIN PRIVATE KEY-----"),
            new Case(
                "RSA PKCS#1",
                TlsFiles::rsa,
                KeyForm.TRADITIONAL,
                "-----BEGIN RSA PRIVATE KEY-----"),
            new Case("EC PKCS#8", TlsFiles::ec, KeyForm.PKCS8, "-----BEGIN PRIVATE KEY-----"),
            new Case(
                "EC SEC1", TlsFiles::ec, KeyForm.TRADITIONAL, "-----BEGIN EC PRIVATE KEY-----"));
    for (Case c : table) {
      KeyPair pair = c.keys().get();
      X509Certificate cert = TlsFiles.certificate(pair);
      String keyPem = TlsFiles.pem(pair, c.form());
      assertThat(keyPem).as(c.name()).startsWith(c.header());

      KeyStore ks =
          PemKeyStore.of(
              PemKeyStore.privateKey(keyPem, "key.pem"),
              PemKeyStore.certificates(TlsFiles.pem(cert), "cert.pem"),
              PASSWORD);

      assertThat(ks.getCertificate(PemKeyStore.ALIAS)).as(c.name()).isEqualTo(cert);
      assertThat(secret(ks.getKey(PemKeyStore.ALIAS, PASSWORD)))
          .as(c.name())
          .isEqualTo(secret(pair.getPrivate()));
    }
  }

  /** The key's secret number, whatever the encoding (SEC1 may carry the curve inside). */
  private static java.math.BigInteger secret(java.security.Key k) {
    return switch (k) {
      case java.security.interfaces.ECPrivateKey ec -> ec.getS();
      case java.security.interfaces.RSAPrivateKey rsa -> rsa.getPrivateExponent();
      default -> throw new AssertionError(k.getAlgorithm());
    };
  }

  @Test
  void aChainKeepsItsOrder() throws Exception {
    X509Certificate leaf = TlsFiles.certificate(TlsFiles.ec());
    X509Certificate issuer = TlsFiles.certificate(TlsFiles.ec());
    assertThat(PemKeyStore.certificates(TlsFiles.pem(leaf) + TlsFiles.pem(issuer), "fullchain.pem"))
        .containsExactly(leaf, issuer);
  }

  /** A renewal caught between the two files: refused, so the caller keeps the old pair. */
  @Test
  void aKeyThatIsNotTheCertificatesIsRefused() throws Exception {
    KeyPair one = TlsFiles.ec();
    KeyPair other = TlsFiles.ec();
    X509Certificate cert = TlsFiles.certificate(one);
    assertThatThrownBy(() -> PemKeyStore.of(other.getPrivate(), List.of(cert), PASSWORD))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessageContaining("does not belong");
    // An RSA key against an EC certificate, too.
    assertThatThrownBy(() -> PemKeyStore.of(TlsFiles.rsa().getPrivate(), List.of(cert), PASSWORD))
        .isInstanceOf(GeneralSecurityException.class);
  }

  /** Errors name the file and the problem, and never quote the file. */
  @Test
  void badFilesAreRefusedWithoutQuotingThem() {
    String secretish = "-----BEGIN PRIVATE KEY-----\nTUlJQ1NFQ1JFVA==\n-----END PRIVATE KEY-----\n";
    KeyPair pair = TlsFiles.ec();
    String encryptedPkcs8 = TlsFiles.encryptedPkcs8(pair);
    String encryptedTraditional = TlsFiles.encryptedTraditional(pair);
    record Case(String name, String text, String message) {}
    List<Case> keys =
        List.of(
            new Case("empty", "", "key.pem: no PRIVATE KEY block"),
            new Case(
                "a certificate",
                TlsFiles.pem(TlsFiles.certificate(TlsFiles.ec())),
                "key.pem: no PRIVATE KEY block"),
            new Case("garbage inside", secretish, "key.pem: not a PEM private key"),
            new Case("encrypted PKCS#8", encryptedPkcs8, "key.pem: the private key is encrypted"),
            new Case(
                "encrypted traditional",
                encryptedTraditional,
                "key.pem: the private key is encrypted"));
    for (Case c : keys) {
      assertThatThrownBy(() -> PemKeyStore.privateKey(c.text(), "key.pem"))
          .as(c.name())
          .isInstanceOf(GeneralSecurityException.class)
          .hasMessageStartingWith(c.message())
          .message()
          .doesNotContain("TUlJQ1NFQ1JFVA");
    }
    assertThatThrownBy(() -> PemKeyStore.certificates("not pem", "cert.pem"))
        .hasMessage("cert.pem: no CERTIFICATE block");
  }

  @Test
  void theSelfSignedCertificateNamesLocalhostAndTheAddresses() throws Exception {
    KeyStore ks =
        PemKeyStore.selfSigned(List.of(java.net.InetAddress.ofLiteral("192.0.2.7")), PASSWORD);
    X509Certificate c = (X509Certificate) ks.getCertificate(PemKeyStore.ALIAS);
    List<String> names =
        c.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList();
    assertThat(names).contains("localhost", "127.0.0.1", "192.0.2.7");
    c.verify(c.getPublicKey());
  }
}
