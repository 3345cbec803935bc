package eu.visio.media.turn;

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
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A minimal TURN client for tests, over plain blocking sockets: UDP datagrams, or a TCP stream
 * framed as RFC 8656 §12.5 says. Builds requests with our STUN writer and signs them with the
 * long-term key once it has learnt REALM and NONCE from a 401.
 */
final class TurnTestClient implements AutoCloseable {
  private static final int TIMEOUT_MS = 3000;

  private final DatagramSocket udp;
  private final Socket tcp;
  private final DataInputStream tcpIn;
  private final OutputStream tcpOut;
  private final InetSocketAddress server;
  private final Deque<byte[]> other = new ArrayDeque<>();
  private final StunWriter writer = new StunWriter();
  private String username;
  private String realm;
  private String nonce;
  private StunIntegrity integrity;

  private TurnTestClient(InetSocketAddress server, boolean stream) throws IOException {
    this.server = server;
    if (stream) {
      tcp = new Socket(server.getAddress(), server.getPort());
      tcp.setSoTimeout(TIMEOUT_MS);
      tcp.setTcpNoDelay(true);
      tcpIn = new DataInputStream(tcp.getInputStream());
      tcpOut = tcp.getOutputStream();
      udp = null;
    } else {
      udp = new DatagramSocket(new InetSocketAddress(server.getAddress(), 0));
      udp.setSoTimeout(TIMEOUT_MS);
      tcp = null;
      tcpIn = null;
      tcpOut = null;
    }
  }

  static TurnTestClient udp(InetSocketAddress server) throws IOException {
    return new TurnTestClient(server, false);
  }

  static TurnTestClient tcp(InetSocketAddress server) throws IOException {
    return new TurnTestClient(server, true);
  }

  InetSocketAddress localAddress() {
    return udp != null
        ? (InetSocketAddress) udp.getLocalSocketAddress()
        : (InetSocketAddress) tcp.getLocalSocketAddress();
  }

  boolean stream() {
    return tcp != null;
  }

  void credentials(String username, String password) {
    this.username = username;
    this.password = password;
    this.integrity = null;
  }

  private String password;

  String nonce() {
    return nonce;
  }

  void nonce(String nonce) {
    this.nonce = nonce;
  }

  void realm(String realm) {
    this.realm = realm;
    this.integrity = null;
  }

  /** Sends raw bytes (a datagram, or bytes on the stream as they are). */
  void sendRaw(byte[] b) throws IOException {
    if (udp != null) {
      udp.send(new DatagramPacket(b, b.length, server));
    } else {
      tcpOut.write(b);
      tcpOut.flush();
    }
  }

  /** The next message from the server, or null after the timeout (or the stream's end). */
  byte[] receive() throws IOException {
    if (!other.isEmpty()) {
      return other.poll();
    }
    return read();
  }

  private byte[] read() throws IOException {
    try {
      if (udp != null) {
        byte[] buf = new byte[70_000];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        udp.receive(p);
        return Arrays.copyOf(buf, p.getLength());
      }
      byte[] head = new byte[4];
      tcpIn.readFully(head);
      int length = ((head[2] & 0xFF) << 8) | (head[3] & 0xFF);
      boolean stun = (head[0] & 0xC0) == 0;
      int rest = stun ? 16 + length : (length + 3) & ~3;
      byte[] frame = Arrays.copyOf(head, 4 + rest);
      tcpIn.readFully(frame, 4, rest);
      return stun ? frame : Arrays.copyOf(frame, 4 + length);
    } catch (SocketTimeoutException | java.io.EOFException e) {
      return null;
    }
  }

  /**
   * A request signed with the current credentials (or unsigned before a challenge) and its answer;
   * a 401 or 438 is answered once more with the REALM and NONCE it carried, as a client does.
   */
  StunMessage request(int method, Consumer<StunWriter> attributes) throws IOException {
    StunMessage answer = requestOnce(method, attributes, nonce != null);
    int code = answer.errorCode();
    if ((code == StunErrorCode.UNAUTHENTICATED && nonce == null)
        || code == StunErrorCode.STALE_NONCE) {
      realm = answer.realm();
      nonce = answer.nonce();
      answer = requestOnce(method, attributes, true);
    }
    return answer;
  }

  /** One request and its answer (fails the test if none comes). */
  StunMessage requestOnce(int method, Consumer<StunWriter> attributes, boolean sign)
      throws IOException {
    byte[] txId = new byte[12];
    ThreadLocalRandom.current().nextBytes(txId);
    byte[] b = new byte[2048];
    writer.start(b, 0, b.length, StunClass.REQUEST, method, txId, 0);
    attributes.accept(writer);
    if (sign) {
      if (integrity == null) {
        integrity = new StunIntegrity(StunCredentials.longTermKey(username, realm, password));
      }
      writer
          .addText(StunAttribute.USERNAME, username)
          .addText(StunAttribute.REALM, realm)
          .addText(StunAttribute.NONCE, nonce)
          .addMessageIntegrity(integrity);
    }
    sendRaw(Arrays.copyOf(b, writer.finish()));
    return awaitAnswer(txId);
  }

  /** The answer with transaction id {@code txId}; other messages are kept for {@link #receive}. */
  StunMessage awaitAnswer(byte[] txId) throws IOException {
    while (true) {
      byte[] m = read();
      if (m == null) {
        throw new AssertionError("no answer from the TURN server");
      }
      if ((m[0] & 0xC0) == 0 && m.length >= 20 && Arrays.equals(m, 8, 20, txId, 0, 12)) {
        try {
          return StunMessage.parse(m, 0, m.length);
        } catch (StunParseException e) {
          throw new AssertionError("unparseable answer", e);
        }
      }
      other.add(m);
    }
  }

  /** Whether {@code answer} is signed with this client's long-term key. */
  boolean signedByServer(StunMessage answer) {
    return answer.verifyMessageIntegrity(StunCredentials.longTermKey(username, realm, password));
  }

  StunMessage allocate() throws IOException {
    return request(
        StunMethod.ALLOCATE, w -> w.addUint32(StunAttribute.REQUESTED_TRANSPORT, 17L << 24));
  }

  StunMessage createPermission(InetSocketAddress peer) throws IOException {
    return request(
        StunMethod.CREATE_PERMISSION,
        w -> w.addXorAddress(StunAttribute.XOR_PEER_ADDRESS, peer.getAddress(), peer.getPort()));
  }

  StunMessage channelBind(int number, InetSocketAddress peer) throws IOException {
    return request(
        StunMethod.CHANNEL_BIND,
        w ->
            w.addUint32(StunAttribute.CHANNEL_NUMBER, (long) number << 16)
                .addXorAddress(StunAttribute.XOR_PEER_ADDRESS, peer.getAddress(), peer.getPort()));
  }

  StunMessage refresh(long lifetime) throws IOException {
    return request(StunMethod.REFRESH, w -> w.addUint32(StunAttribute.LIFETIME, lifetime));
  }

  /** A Send indication (RFC 8656 §11.1). */
  void send(InetSocketAddress peer, byte[] data) throws IOException {
    byte[] txId = new byte[12];
    ThreadLocalRandom.current().nextBytes(txId);
    byte[] b = new byte[data.length + 100];
    int n =
        writer
            .start(b, 0, b.length, StunClass.INDICATION, StunMethod.SEND, txId, 0)
            .addXorAddress(StunAttribute.XOR_PEER_ADDRESS, peer.getAddress(), peer.getPort())
            .addBytes(StunAttribute.DATA, data, 0, data.length)
            .finish();
    sendRaw(Arrays.copyOf(b, n));
  }

  /** ChannelData (RFC 8656 §12.4), padded on a stream. */
  void sendChannelData(int number, byte[] data) throws IOException {
    int padded = stream() ? (data.length + 3) & ~3 : data.length;
    byte[] b = new byte[4 + padded];
    b[0] = (byte) (number >>> 8);
    b[1] = (byte) number;
    b[2] = (byte) (data.length >>> 8);
    b[3] = (byte) data.length;
    System.arraycopy(data, 0, b, 4, data.length);
    sendRaw(b);
  }

  @Override
  public void close() throws IOException {
    if (udp != null) {
      udp.close();
    } else {
      tcp.close();
    }
  }
}
