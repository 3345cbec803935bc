package eu.visio.media.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.Test;

class DtlsCertificateTest {
  private static final DtlsCertificate CERT = DtlsCertificate.generate();

  @Test
  void isASelfSignedP256EcdsaCertificate() throws Exception {
    X509Certificate x509 =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(CERT.encoded()));
    x509.verify(x509.getPublicKey()); // self-signed, and the signature is valid
    assertThat(x509.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(x509.getSubjectX500Principal().getName()).isEqualTo("CN=visio");
    assertThat(x509.getIssuerX500Principal()).isEqualTo(x509.getSubjectX500Principal());
    assertThat(x509.getSerialNumber()).isGreaterThan(BigInteger.ZERO);
    Instant now = Instant.now();
    assertThat(x509.getNotBefore().toInstant()).isBefore(now.minus(Duration.ofHours(23)));
    assertThat(x509.getNotAfter().toInstant())
        .isAfter(now.plus(Duration.ofDays(29)))
        .isBefore(now.plus(Duration.ofDays(31)));

    X509CertificateHolder holder = new X509CertificateHolder(CERT.encoded());
    assertThat(holder.getSubjectPublicKeyInfo().getAlgorithm().getAlgorithm())
        .isEqualTo(X9ObjectIdentifiers.id_ecPublicKey);
    // Named curve, not explicit parameters (browsers reject those).
    assertThat(holder.getSubjectPublicKeyInfo().getAlgorithm().getParameters())
        .isEqualTo(SECObjectIdentifiers.secp256r1);
  }

  @Test
  void fingerprintIsUppercaseColonSha256OverDer() throws Exception {
    String expected =
        "sha-256 "
            + HexFormat.ofDelimiter(":")
                .withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(CERT.encoded()));
    assertThat(CERT.fingerprint())
        .isEqualTo(expected)
        .matches("sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}");
    assertThat(DtlsFingerprint.parse(CERT.fingerprint())).isEqualTo(CERT.sha256Fingerprint());
    assertThat(CERT.sha256Fingerprint().matches(CERT.encoded())).isTrue();
  }

  @Test
  void eachGenerationIsANewIdentity() {
    DtlsCertificate other = DtlsCertificate.generate();
    assertThat(other.fingerprint()).isNotEqualTo(CERT.fingerprint());
    assertThat(DtlsCertificate.shared()).isSameAs(DtlsCertificate.shared());
  }

  @Test
  void toStringShowsOnlyTheFingerprint() {
    assertThat(CERT.toString()).isEqualTo("DtlsCertificate[" + CERT.fingerprint() + "]");
  }

  @Test
  void encodedIsADefensiveCopy() {
    byte[] der = CERT.encoded();
    der[0] ^= 1;
    assertThat(CERT.encoded()).isNotEqualTo(der);
  }
}
