package eu.visio.server.turn;

import eu.visio.media.stun.StunAttribute;
import eu.visio.media.stun.StunClass;
import eu.visio.media.stun.StunCredentials;
import eu.visio.media.stun.StunErrorCode;
import eu.visio.media.stun.StunIntegrity;
import eu.visio.media.stun.StunMessage;
import eu.visio.media.stun.StunMethod;
import eu.visio.media.stun.StunParseException;
import eu.visio.media.stun.StunWriter;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A TURN client for the server's tests, as a browser uses TURN: Allocate, answered 401 with REALM
 * and NONCE, sent again signed with the long-term key of the REST credentials; CreatePermission on
 * the allocation. Over UDP, TCP, or TLS (any certificate: the tests use a self-signed one).
 */
final class TurnProbe implements AutoCloseable {
  private final DatagramSocket udp;
  private final Socket stream;
  private final InetSocketAddress server;
  private final String username;
  private final String password;
  private final StunWriter writer = new StunWriter();
  private String realm;
  private String nonce;

  private TurnProbe(
      InetSocketAddress server, DatagramSocket udp, Socket stream, String user, String pass) {
    this.server = server;
    this.udp = udp;
    this.stream = stream;
    this.username = user;
    this.password = pass;
  }

  static TurnProbe udp(InetSocketAddress server, String user, String pass) throws IOException {
    DatagramSocket s = new DatagramSocket(new InetSocketAddress(server.getAddress(), 0));
    s.setSoTimeout(3000);
    return new TurnProbe(server, s, null, user, pass);
  }

  static TurnProbe tcp(InetSocketAddress server, String user, String pass) throws IOException {
    Socket s = new Socket(server.getAddress(), server.getPort());
    s.setSoTimeout(3000);
    return new TurnProbe(server, null, s, user, pass);
  }

  /** TURN over TLS, naming no ALPN protocol as browsers' TURN clients do. */
  static TurnProbe tls(InetSocketAddress server, String user, String pass) throws IOException {
    return tls(server, user, pass, List.of());
  }

  /** TURN over TLS offering {@code alpn} (none if empty); the handshake is done. */
  static TurnProbe tls(InetSocketAddress server, String user, String pass, List<String> alpn)
      throws IOException {
    SSLSocket s =
        (SSLSocket)
            eu.visio.server.tls.TlsFiles.trustingAll()
                .getSocketFactory()
                .createSocket(server.getAddress(), server.getPort());
    s.setSoTimeout(3000);
    if (!alpn.isEmpty()) {
      SSLParameters p = s.getSSLParameters();
      p.setApplicationProtocols(alpn.toArray(String[]::new));
      s.setSSLParameters(p);
    }
    s.startHandshake();
    return new TurnProbe(server, null, s, user, pass);
  }

  /** Allocate a UDP relay; the final answer (a success, or the error after the challenge). */
  StunMessage allocate() throws IOException {
    return request(
        StunMethod.ALLOCATE, w -> w.addUint32(StunAttribute.REQUESTED_TRANSPORT, 17L << 24));
  }

  /** The ALPN protocol the TLS handshake settled on ("" for none); null when not TLS. */
  String applicationProtocol() {
    return stream instanceof SSLSocket s ? s.getApplicationProtocol() : null;
  }

  StunMessage createPermission(InetSocketAddress peer) throws IOException {
    return request(
        StunMethod.CREATE_PERMISSION,
        w -> w.addXorAddress(StunAttribute.XOR_PEER_ADDRESS, peer.getAddress(), peer.getPort()));
  }

  /** ChannelBind (RFC 8656 §12.1): {@code channel} (0x4000 to 0x4FFF) toward {@code peer}. */
  StunMessage channelBind(InetSocketAddress peer, int channel) throws IOException {
    return request(
        StunMethod.CHANNEL_BIND,
        w ->
            w.addUint32(StunAttribute.CHANNEL_NUMBER, ((long) channel) << 16)
                .addXorAddress(StunAttribute.XOR_PEER_ADDRESS, peer.getAddress(), peer.getPort()));
  }

  /** The UDP socket to the server, for sending ChannelData directly (UDP probes only). */
  DatagramSocket udpSocket() {
    return udp;
  }

  /** A Send indication (RFC 8656 §11.1) carrying {@code data} toward {@code peer}; no answer. */
  void send(InetSocketAddress peer, byte[] data) throws IOException {
    byte[] txId = new byte[12];
    ThreadLocalRandom.current().nextBytes(txId);
    byte[] b = new byte[data.length + 256];
    writer
        .start(b, 0, b.length, StunClass.INDICATION, StunMethod.SEND, txId, 0)
        .addXorAddress(StunAttribute.XOR_PEER_ADDRESS, peer.getAddress(), peer.getPort())
        .addBytes(StunAttribute.DATA, data, 0, data.length);
    write(Arrays.copyOf(b, writer.finish()));
  }

  private StunMessage request(int method, Consumer<StunWriter> attributes) throws IOException {
    StunMessage answer = once(method, attributes, nonce != null);
    if (answer.errorCode() == StunErrorCode.UNAUTHENTICATED && nonce == null
        || answer.errorCode() == StunErrorCode.STALE_NONCE) {
      realm = answer.realm();
      nonce = answer.nonce();
      answer = once(method, attributes, true);
    }
    return answer;
  }

  private StunMessage once(int method, Consumer<StunWriter> attributes, boolean sign)
      throws IOException {
    byte[] txId = new byte[12];
    ThreadLocalRandom.current().nextBytes(txId);
    byte[] b = new byte[1024];
    writer.start(b, 0, b.length, StunClass.REQUEST, method, txId, 0);
    attributes.accept(writer);
    if (sign) {
      writer
          .addText(StunAttribute.USERNAME, username)
          .addText(StunAttribute.REALM, realm)
          .addText(StunAttribute.NONCE, nonce)
          .addMessageIntegrity(
              new StunIntegrity(StunCredentials.longTermKey(username, realm, password)));
    }
    write(Arrays.copyOf(b, writer.finish()));
    while (true) {
      byte[] m = read();
      if ((m[0] & 0xC0) == 0 && Arrays.equals(m, 8, 20, txId, 0, 12)) {
        try {
          return StunMessage.parse(m, 0, m.length);
        } catch (StunParseException e) {
          throw new AssertionError("unparseable answer", e);
        }
      }
    }
  }

  private void write(byte[] out) throws IOException {
    if (udp != null) {
      udp.send(new DatagramPacket(out, out.length, server));
    } else {
      OutputStream o = stream.getOutputStream();
      o.write(out);
      o.flush();
    }
  }

  private byte[] read() throws IOException {
    if (udp != null) {
      byte[] buf = new byte[2048];
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      udp.receive(p);
      return Arrays.copyOf(buf, p.getLength());
    }
    DataInputStream in = new DataInputStream(stream.getInputStream());
    byte[] head = new byte[4];
    in.readFully(head);
    int length = ((head[2] & 0xFF) << 8) | (head[3] & 0xFF);
    int rest = (head[0] & 0xC0) == 0 ? 16 + length : (length + 3) & ~3;
    byte[] frame = Arrays.copyOf(head, 4 + rest);
    in.readFully(frame, 4, rest);
    return frame;
  }

  @Override
  public void close() throws IOException {
    if (udp != null) {
      udp.close();
    } else {
      stream.close();
    }
  }
}
