package eu.visio.loadtest.bot;

import eu.visio.media.dtls.DtlsCertificate;
import eu.visio.media.dtls.DtlsRole;
import eu.visio.media.dtls.DtlsTransport;
import eu.visio.media.rtp.RtpPacket;
import eu.visio.media.srtp.SrtpKeyingMaterial;
import eu.visio.media.srtp.SrtpProfile;
import eu.visio.media.srtp.SrtpSession;
import eu.visio.media.stun.StunAttribute;
import eu.visio.media.stun.StunClass;
import eu.visio.media.stun.StunIntegrity;
import eu.visio.media.stun.StunMessage;
import eu.visio.media.stun.StunMethod;
import eu.visio.media.stun.StunWriter;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The browser's end of a WebRTC transport, on the media stack the server uses: a controlling full
 * ICE agent with one candidate pair (the server is ICE-lite: it only answers), which nominates with
 * USE-CANDIDATE and then keeps consent fresh (RFC 7675) every two seconds, whether it offered or
 * answered (against an ICE-lite peer the full agent controls, RFC 8445 §6.1.1); a DTLS client or
 * server as the SDP exchange decided (bctls on a virtual thread, as in the server); SRTP with the
 * keys it exports. Also answers the server's own checks, should it send any.
 */
final class WebRtcLink implements MediaLink {
  /** A host candidate's priority (type preference 126), as a browser sends it. */
  private static final long PRIORITY = 0x7e0000ffL;

  private static final long CHECK_INTERVAL_NANOS = 50_000_000L;
  private static final long CONSENT_INTERVAL_NANOS = 2_000_000_000L;

  private final Leg leg;
  private final Bot bot;
  private final RemoteMedia remote;
  private final String localUfrag;
  private final DtlsRole role;
  private final StunIntegrity remoteIntegrity;
  private final StunIntegrity localIntegrity;
  private final StunWriter writer = new StunWriter();
  private final StunMessage stun = new StunMessage();
  private final byte[] stunOut = new byte[256];
  private final byte[] txId = new byte[StunMessage.TRANSACTION_ID_LENGTH];
  private final long tieBreaker = ThreadLocalRandom.current().nextLong();
  private boolean nominated;
  private long nextCheck;
  private final DtlsTransport dtls;
  private SrtpSession srtp;

  /**
   * @param role our DTLS role: the client when the server answered {@code passive} or we answer its
   *     offer with {@code active}, the server when it answered {@code active} (Janus does)
   */
  WebRtcLink(
      Leg leg,
      RemoteMedia remote,
      String localUfrag,
      String localPwd,
      DtlsCertificate cert,
      DtlsRole role) {
    this.leg = leg;
    this.bot = leg.bot();
    this.remote = remote;
    this.localUfrag = localUfrag;
    this.role = role;
    this.remoteIntegrity = StunIntegrity.shortTerm(remote.pwd());
    this.localIntegrity = StunIntegrity.shortTerm(localPwd);
    // Made now, started once nominated: as the DTLS server we may get the peer's ClientHello
    // right after its response to our check, and the transport keeps what arrives before start.
    this.dtls =
        new DtlsTransport(
            role,
            cert,
            remote.fingerprint(),
            leg::sendDatagramFromAnyThread,
            new DtlsTransport.Listener() {
              @Override
              public void onConnected(SrtpKeyingMaterial keys, SrtpProfile profile) {
                bot.loop().execute(() -> keyed(keys));
              }

              @Override
              public void onFailed(String reason) {
                leg.fail("DTLS " + reason);
              }
            });
  }

  @Override
  public boolean ready() {
    return srtp != null;
  }

  @Override
  public long tick(long now) {
    if (now >= nextCheck) {
      sendCheck();
      nextCheck = now + (nominated ? CONSENT_INTERVAL_NANOS : CHECK_INTERVAL_NANOS);
    }
    return nextCheck;
  }

  /** A Binding request as a controlling agent nominating the pair sends it (RFC 8445 §7.1). */
  private void sendCheck() {
    ThreadLocalRandom.current().nextBytes(txId);
    writer
        .start(stunOut, 0, stunOut.length, StunClass.REQUEST, StunMethod.BINDING, txId, 0)
        .addText(StunAttribute.USERNAME, remote.ufrag() + ":" + localUfrag)
        .addUint32(StunAttribute.PRIORITY, PRIORITY)
        .addUint64(StunAttribute.ICE_CONTROLLING, tieBreaker)
        .addFlag(StunAttribute.USE_CANDIDATE);
    int n = writer.addMessageIntegrity(remoteIntegrity).addFingerprint().finish();
    leg.sendDatagram(stunOut, n);
  }

  @Override
  public void onDatagram(byte[] b, int len, long now) {
    int first = b[0] & 0xFF;
    if (first < 4) {
      onStun(b, len);
    } else if (first >= 20 && first < 64) {
      dtls.receive(b, 0, len);
    } else if (RtpPacket.isRtpOrRtcp(b[0]) && srtp != null) {
      if (RtpPacket.isRtcp(b, 0, len)) {
        int n = srtp.unprotectRtcp(b, 0, len);
        if (n > 0) {
          bot.onRtcp(b, 0, n, now);
        }
      } else {
        int n = srtp.unprotectRtp(b, 0, len);
        if (n > 0) {
          bot.onRtp(b, 0, n, now);
        }
      }
    }
  }

  private void onStun(byte[] b, int len) {
    if (!stun.tryWrap(b, 0, len)) {
      return;
    }
    if (stun.messageClass() == StunClass.SUCCESS_RESPONSE
        && stun.transactionIdEquals(txId, 0)
        && !nominated) {
      nominated = true;
      nextCheck = System.nanoTime() + CONSENT_INTERVAL_NANOS;
      startDtls();
    } else if (stun.messageClass() == StunClass.REQUEST && stun.method() == StunMethod.BINDING) {
      // The server's own check (a full ICE server's, or consent): answer it as a browser would.
      int n =
          writer
              .startResponse(stunOut, 0, stunOut.length, StunClass.SUCCESS_RESPONSE, stun)
              .addXorAddress(
                  StunAttribute.XOR_MAPPED_ADDRESS,
                  remote.address().getAddress(),
                  remote.address().getPort())
              .addMessageIntegrity(localIntegrity)
              .addFingerprint()
              .finish();
      leg.sendDatagram(stunOut, n);
    }
  }

  private void startDtls() {
    dtls.start();
  }

  private void keyed(SrtpKeyingMaterial keys) {
    srtp = new SrtpSession(keys, role == DtlsRole.CLIENT);
    leg.linked();
  }

  @Override
  public void sendRtp(byte[] b, int len) {
    int n = srtp.protectRtp(b, 0, len);
    if (n > 0) {
      leg.sendDatagram(b, n);
    }
  }

  @Override
  public void sendRtcp(byte[] b, int len) {
    int n = srtp.protectRtcp(b, 0, len);
    if (n > 0) {
      leg.sendDatagram(b, n);
    }
  }

  @Override
  public void close() {
    dtls.close();
  }
}
