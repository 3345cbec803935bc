package eu.visio.media.dtls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentSignerBuilder;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCrypto;

/**
 * Our DTLS identity: a self-signed ECDSA P-256 certificate (SHA256withECDSA). WebRTC trusts it by
 * the fingerprint in our SDP (RFC 8827 §6.5), not by a CA, so the subject and validity only need to
 * be well-formed. ECDSA P-256 is what browsers generate themselves and the cheapest to sign with.
 *
 * <p>Immutable and shareable: one per process ({@link #shared()}) is fine, since the fingerprint is
 * published per session anyway; {@link #generate()} (about a millisecond) makes a fresh one when
 * unlinkability between sessions matters.
 */
public final class DtlsCertificate {
  private static final Duration BACKDATE = Duration.ofDays(1);
  private static final Duration LIFETIME = Duration.ofDays(30);

  private final byte[] der;
  private final AsymmetricKeyParameter privateKey;
  private final DtlsFingerprint fingerprint;
  private final Instant renewAfter;

  private DtlsCertificate(byte[] der, AsymmetricKeyParameter privateKey, Instant created) {
    this.der = der;
    this.privateKey = privateKey;
    this.renewAfter = created.plus(LIFETIME.dividedBy(2));
    this.fingerprint = DtlsFingerprint.of(DtlsFingerprint.HashFunction.SHA_256, der);
  }

  /** The process-wide certificate; replaced once past half its lifetime (see {@link #shared()}). */
  private static volatile DtlsCertificate shared;

  /**
   * The process-wide certificate, generated on first use and renewed once it is 15 days old, so a
   * long-running server never hands out one that expires during a call. Transports keep the
   * instance they were built with.
   */
  public static DtlsCertificate shared() {
    DtlsCertificate c = shared;
    if (c == null || Instant.now().isAfter(c.renewAfter)) {
      synchronized (DtlsCertificate.class) {
        c = shared;
        if (c == null || Instant.now().isAfter(c.renewAfter)) {
          c = generate();
          shared = c;
        }
      }
    }
    return c;
  }

  /**
   * Generates a new key pair and self-signed certificate: CN=visio, random positive 63-bit serial,
   * valid from one day ago (peers with a skewed clock) to 30 days from now.
   */
  public static DtlsCertificate generate() {
    SecureRandom random = new SecureRandom();
    ECNamedDomainParameters p256 =
        new ECNamedDomainParameters(
            SECObjectIdentifiers.secp256r1,
            ECNamedCurveTable.getByOID(SECObjectIdentifiers.secp256r1));
    ECKeyPairGenerator generator = new ECKeyPairGenerator();
    generator.init(new ECKeyGenerationParameters(p256, random));
    AsymmetricCipherKeyPair keyPair = generator.generateKeyPair();

    Instant now = Instant.now();
    X500Name subject = new X500Name("CN=visio");
    BigInteger serial = new BigInteger(63, random).add(BigInteger.ONE);
    try {
      // Named-curve SubjectPublicKeyInfo (not explicit parameters): browsers reject the latter.
      X509v3CertificateBuilder builder =
          new X509v3CertificateBuilder(
              subject,
              serial,
              Date.from(now.minus(BACKDATE)),
              Date.from(now.plus(LIFETIME)),
              subject,
              SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(keyPair.getPublic()));
      AlgorithmIdentifier sigAlg =
          new DefaultSignatureAlgorithmIdentifierFinder().find("SHA256withECDSA");
      AlgorithmIdentifier digestAlg = new DefaultDigestAlgorithmIdentifierFinder().find(sigAlg);
      byte[] der =
          builder
              .build(
                  new BcECContentSignerBuilder(sigAlg, digestAlg)
                      .setSecureRandom(random)
                      .build(keyPair.getPrivate()))
              .getEncoded();
      return new DtlsCertificate(der, keyPair.getPrivate(), now);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("SHA256withECDSA unavailable", e);
    }
  }

  /** The SDP {@code a=fingerprint} value: {@code "sha-256 AB:CD:..."} over the DER encoding. */
  public String fingerprint() {
    return fingerprint.toString();
  }

  /** The SHA-256 fingerprint as a value. */
  public DtlsFingerprint sha256Fingerprint() {
    return fingerprint;
  }

  /** The DER encoding (a fresh copy). */
  public byte[] encoded() {
    return der.clone();
  }

  AsymmetricKeyParameter privateKey() {
    return privateKey;
  }

  /** The one-certificate chain bctls sends in its Certificate message. */
  Certificate chain(TlsCrypto crypto) throws IOException {
    return new Certificate(new TlsCertificate[] {crypto.createCertificate(der)});
  }

  /** Never prints the key. */
  @Override
  public String toString() {
    return "DtlsCertificate[" + fingerprint + "]";
  }
}
