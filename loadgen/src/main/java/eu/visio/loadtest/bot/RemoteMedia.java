package eu.visio.loadtest.bot;

import eu.visio.media.dtls.DtlsFingerprint;
import java.net.InetSocketAddress;

/**
 * The server's end of a WebRTC transport as its SDP describes it.
 *
 * @param address the host candidate the bot checks and sends to
 * @param ufrag the server's ice-ufrag
 * @param pwd the server's ice-pwd
 * @param fingerprint the server's DTLS certificate fingerprint
 */
public record RemoteMedia(
    InetSocketAddress address, String ufrag, String pwd, DtlsFingerprint fingerprint) {}
