package eu.visio.media.dtls;

import java.io.IOException;
import java.util.Hashtable;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;

/**
 * bctls server side of DTLS-SRTP: DTLS 1.2, ECDHE-ECDSA AEAD suites, extended master secret
 * required (RFC 7627), a mandatory client certificate checked against the SDP fingerprint, and
 * use_srtp chosen by our preference.
 */
final class DtlsSrtpServer extends DefaultTlsServer {
  private final DtlsSrtpContext srtp;

  DtlsSrtpServer(DtlsSrtpContext srtp) {
    super(srtp.crypto());
    this.srtp = srtp;
  }

  @Override
  protected ProtocolVersion[] getSupportedVersions() {
    return DtlsSrtpContext.VERSIONS.clone();
  }

  @Override
  protected int[] getSupportedCipherSuites() {
    return TlsUtils.getSupportedCipherSuites(getCrypto(), DtlsSrtpContext.SERVER_SUITES);
  }

  @Override
  public int getSelectedCipherSuite() throws IOException {
    int suite = super.getSelectedCipherSuite();
    srtp.cipherSuiteSelected(suite);
    return suite;
  }

  /** Our order (AES-128-GCM first) wins over the client's. */
  @Override
  protected boolean preferLocalCipherSuites() {
    return true;
  }

  /**
   * RFC 7627: without the extended master secret, a man-in-the-middle can synchronize two
   * handshakes to the same master secret (triple handshake), and with it the SRTP keys.
   */
  @Override
  public boolean requiresExtendedMasterSecret() {
    return true;
  }

  /**
   * The peer certificate is trusted by its fingerprint, not its own signature; checking how it was
   * self-signed would only reject old peers (e.g. SHA-1 self-signatures) for no security gain.
   */
  @Override
  public boolean shouldCheckSigAlgOfPeerCerts() {
    return false;
  }

  @Override
  public int getHandshakeTimeoutMillis() {
    return srtp.handshakeTimeoutMillis();
  }

  @Override
  public int getHandshakeResendTimeMillis() {
    return srtp.resendMillis();
  }

  /** Answers use_srtp with one profile, or aborts if the client offered none we support. */
  @Override
  public Hashtable<?, ?> getServerExtensions() throws IOException {
    Hashtable<?, ?> extensions = super.getServerExtensions();
    TlsSRTPUtils.addUseSRTPExtension(
        extensions, srtp.choose(TlsSRTPUtils.getUseSRTPExtension(clientExtensions)));
    return extensions;
  }

  /** Requests (and, in {@link #notifyClientCertificate}, requires) a client certificate. */
  @Override
  public CertificateRequest getCertificateRequest() {
    short[] types = {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign};
    return new CertificateRequest(
        types, TlsUtils.getDefaultSupportedSignatureAlgorithms(context), null);
  }

  @Override
  public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
    srtp.verifyPeer(clientCertificate);
  }

  @Override
  protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
    return srtp.signer(context);
  }

  @Override
  public void notifyHandshakeComplete() throws IOException {
    super.notifyHandshakeComplete();
    srtp.exportKeys(context);
  }

  @Override
  public void notifyAlertRaised(
      short alertLevel, short alertDescription, String message, Throwable cause) {
    srtp.alertRaised(alertLevel, alertDescription, message);
  }

  @Override
  public void notifyAlertReceived(short alertLevel, short alertDescription) {
    srtp.alertReceived(alertLevel, alertDescription);
  }
}
