package eu.visio.media.dtls;

import java.io.IOException;
import java.util.Hashtable;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;

/**
 * bctls client side of DTLS-SRTP: DTLS 1.2, ECDHE AEAD suites (ECDSA first, RSA accepted), extended
 * master secret required (RFC 7627), server certificate checked against the SDP fingerprint, our
 * ECDSA certificate sent when asked, use_srtp offered in our preference order.
 */
final class DtlsSrtpClient extends DefaultTlsClient {
  private final DtlsSrtpContext srtp;

  DtlsSrtpClient(DtlsSrtpContext srtp) {
    super(srtp.crypto());
    this.srtp = srtp;
  }

  @Override
  protected ProtocolVersion[] getSupportedVersions() {
    return DtlsSrtpContext.VERSIONS.clone();
  }

  @Override
  protected int[] getSupportedCipherSuites() {
    return TlsUtils.getSupportedCipherSuites(getCrypto(), DtlsSrtpContext.CLIENT_SUITES);
  }

  @Override
  public void notifySelectedCipherSuite(int selectedCipherSuite) {
    super.notifySelectedCipherSuite(selectedCipherSuite);
    srtp.cipherSuiteSelected(selectedCipherSuite);
  }

  /** See {@link DtlsSrtpServer#requiresExtendedMasterSecret()}. */
  @Override
  public boolean requiresExtendedMasterSecret() {
    return true;
  }

  /** See {@link DtlsSrtpServer#shouldCheckSigAlgOfPeerCerts()}. */
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

  @Override
  public Hashtable<?, ?> getClientExtensions() throws IOException {
    Hashtable<?, ?> extensions =
        TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
    TlsSRTPUtils.addUseSRTPExtension(extensions, srtp.offer());
    return extensions;
  }

  @Override
  @SuppressWarnings("rawtypes") // bctls' TlsClient API predates generics; overriding needs raw.
  public void processServerExtensions(Hashtable serverExtensions) throws IOException {
    super.processServerExtensions(serverExtensions);
    srtp.accept(
        serverExtensions == null ? null : TlsSRTPUtils.getUseSRTPExtension(serverExtensions));
  }

  @Override
  public TlsAuthentication getAuthentication() {
    return new TlsAuthentication() {
      @Override
      public void notifyServerCertificate(TlsServerCertificate serverCertificate)
          throws IOException {
        srtp.verifyPeer(serverCertificate.getCertificate());
      }

      @Override
      public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
        return srtp.signer(context);
      }
    };
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
