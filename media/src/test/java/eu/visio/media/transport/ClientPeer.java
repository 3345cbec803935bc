package eu.visio.media.transport;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.dtls.DtlsCertificate;
import eu.visio.media.dtls.DtlsFingerprint;
import eu.visio.media.dtls.DtlsRole;
import eu.visio.media.dtls.DtlsTransport;
import eu.visio.media.net.Poll;
import eu.visio.media.srtp.SrtpKeyingMaterial;
import eu.visio.media.srtp.SrtpProfile;
import eu.visio.media.srtp.SrtpSession;
import eu.visio.media.stun.StunAttribute;
import eu.visio.media.stun.StunClass;
import eu.visio.media.stun.StunIntegrity;
import eu.visio.media.stun.StunMessage;
import eu.visio.media.stun.StunMethod;
import eu.visio.media.stun.StunParseException;
import eu.visio.media.stun.StunWriter;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The browser's end of one peer connection, on a plain {@link DatagramSocket} on 127.0.0.1 (or, in
 * TCP mode, an active ICE-TCP candidate: a {@link Socket} connected to the server's TCP port,
 * carrying RFC 4571 frames): a controlling full ICE agent that sends checks, a DTLS client, and
 * SRTP once keyed. A reader thread demultiplexes what the server sends (RFC 7983) into queues and
 * the DTLS client.
 */
final class ClientPeer implements AutoCloseable {
  static final DtlsCertificate CERT = DtlsCertificate.generate();

  /** A host candidate's priority (type preference 126), as a browser would send it. */
  private static final long PRIORITY = 0x7e0000ffL;

  enum Role {
    CONTROLLING,
    /** Claims the controlled role, which conflicts with an ICE-lite server (RFC 8445 §7.3.1.1). */
    CONTROLLED
  }

  final String ufrag;
  final InetSocketAddress server;
  final DatagramSocket socket;
  // TCP mode: the connection, and the frames' output (writes are whole frames, under its lock).
  private final Socket tcp;
  private final DataOutputStream tcpOut;
  final CompletableFuture<Void> tcpClosedByServer = new CompletableFuture<>();
  final LinkedBlockingQueue<byte[]> stun = new LinkedBlockingQueue<>();
  final LinkedBlockingQueue<byte[]> media = new LinkedBlockingQueue<>();
  final CompletableFuture<SrtpKeyingMaterial> dtlsConnected = new CompletableFuture<>();
  final CompletableFuture<String> dtlsFailed = new CompletableFuture<>();
  final CompletableFuture<Void> dtlsClosed = new CompletableFuture<>();

  /** Every DTLS datagram the client sent, as samples to mutate. */
  final List<byte[]> dtlsSent = new CopyOnWriteArrayList<>();

  private final Random random = new Random();
  private final StunWriter writer = new StunWriter();
  private final Thread reader;
  private volatile DtlsTransport dtls;
  private SrtpSession srtp;

  ClientPeer(String ufrag, InetSocketAddress server) {
    this.ufrag = ufrag;
    this.server = server;
    this.tcp = null;
    this.tcpOut = null;
    try {
      socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    } catch (SocketException e) {
      throw new UncheckedIOException(e);
    }
    reader = Thread.ofPlatform().daemon().name("client-peer-" + ufrag).start(this::read);
  }

  /**
   * A peer over ICE-TCP, connected to {@code tcpServer}. {@code receiveBuffer} (bytes, or 0 for the
   * default) sets the socket's receive buffer; {@code reading} false never reads, like a peer too
   * slow to keep up.
   */
  ClientPeer(String ufrag, InetSocketAddress tcpServer, int receiveBuffer, boolean reading) {
    this.ufrag = ufrag;
    this.server = tcpServer;
    this.socket = null;
    try {
      tcp = new Socket();
      if (receiveBuffer > 0) {
        tcp.setReceiveBufferSize(receiveBuffer);
      }
      tcp.setTcpNoDelay(true);
      tcp.connect(tcpServer);
      tcpOut = new DataOutputStream(new BufferedOutputStream(tcp.getOutputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    reader =
        Thread.ofPlatform()
            .daemon()
            .name("client-peer-" + ufrag)
            .start(reading ? this::readTcp : () -> {});
  }

  static ClientPeer overTcp(String ufrag, InetSocketAddress tcpServer) {
    return new ClientPeer(ufrag, tcpServer, 0, true);
  }

  InetSocketAddress address() {
    return (InetSocketAddress)
        (tcp != null ? tcp.getLocalSocketAddress() : socket.getLocalSocketAddress());
  }

  /** TCP mode: writes raw bytes, framed or not, as they are. */
  void sendRaw(byte[] b) {
    synchronized (tcpOut) {
      try {
        tcpOut.write(b);
        tcpOut.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** TCP mode: whether the server closed the connection (a read returns end of stream). */
  boolean awaitServerClose() {
    try {
      tcp.setSoTimeout((int) Poll.DEADLINE.toMillis());
      return tcp.getInputStream().read(new byte[4096]) < 0;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset by the server
    }
  }

  void send(byte[] b) {
    send(b, 0, b.length);
  }

  void send(byte[] b, int off, int len) {
    if (tcp != null) {
      synchronized (tcpOut) {
        try {
          tcpOut.writeShort(len);
          tcpOut.write(b, off, len);
          tcpOut.flush();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return;
    }
    try {
      socket.send(new DatagramPacket(b, off, len, server));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A Binding request as a controlling full agent sends it (RFC 8445 §7.1): USERNAME
   * "serverUfrag:clientUfrag", PRIORITY, the role attribute, USE-CANDIDATE when nominating, then
   * MESSAGE-INTEGRITY with {@code pwd} and FINGERPRINT.
   */
  byte[] check(byte[] txId, String serverUfrag, String pwd, Role role, boolean useCandidate) {
    byte[] b = new byte[512];
    writer
        .start(b, 0, b.length, StunClass.REQUEST, StunMethod.BINDING, txId, 0)
        .addText(StunAttribute.USERNAME, serverUfrag + ":" + ufrag)
        .addUint32(StunAttribute.PRIORITY, PRIORITY);
    writer.addUint64(
        role == Role.CONTROLLING ? StunAttribute.ICE_CONTROLLING : StunAttribute.ICE_CONTROLLED,
        random.nextLong());
    if (useCandidate) {
      writer.addFlag(StunAttribute.USE_CANDIDATE);
    }
    int n = writer.addMessageIntegrity(StunIntegrity.shortTerm(pwd)).addFingerprint().finish();
    return Arrays.copyOf(b, n);
  }

  byte[] newTransactionId() {
    byte[] id = new byte[StunMessage.TRANSACTION_ID_LENGTH];
    random.nextBytes(id);
    return id;
  }

  /** Sends a check and returns the response with its transaction id. */
  StunMessage checkAndAwait(String serverUfrag, String pwd, Role role, boolean useCandidate) {
    byte[] txId = newTransactionId();
    send(check(txId, serverUfrag, pwd, role, useCandidate));
    StunMessage response = awaitResponse(txId, Poll.DEADLINE.toMillis());
    assertThat(response).as("response to a check for %s", serverUfrag).isNotNull();
    return response;
  }

  /** The response with transaction id {@code txId}, or null if none comes within the time. */
  StunMessage awaitResponse(byte[] txId, long millis) {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    try {
      for (long left = millis;
          left > 0;
          left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())) {
        byte[] b = stun.poll(left, TimeUnit.MILLISECONDS);
        if (b == null) {
          return null;
        }
        StunMessage m = StunMessage.parse(b, 0, b.length);
        if (m.transactionIdEquals(txId, 0)) {
          return m;
        }
      }
      return null;
    } catch (StunParseException e) {
      throw new AssertionError("the server sent malformed STUN", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Starts the DTLS client towards the server, expecting the server's certificate. */
  void startDtls(DtlsFingerprint serverFingerprint) {
    DtlsTransport t =
        new DtlsTransport(
            DtlsRole.CLIENT,
            CERT,
            serverFingerprint,
            (b, off, len) -> {
              dtlsSent.add(Arrays.copyOfRange(b, off, off + len));
              send(b, off, len);
            },
            new DtlsEvents());
    dtls = t;
    t.start();
  }

  /** The client's SRTP session, once DTLS is up. Test thread only. */
  SrtpSession srtp() {
    if (srtp == null) {
      srtp = new SrtpSession(dtlsConnected.join(), true);
    }
    return srtp;
  }

  /** Protects {@code plain} with the client's keys and sends it. */
  void sendRtp(byte[] plain) {
    byte[] b = Arrays.copyOf(plain, plain.length + SrtpSession.MAX_RTP_OVERHEAD);
    int n = srtp().protectRtp(b, 0, plain.length);
    assertThat(n).isPositive();
    send(b, 0, n);
  }

  void sendRtcp(byte[] plain) {
    byte[] b = Arrays.copyOf(plain, plain.length + SrtpSession.MAX_RTCP_OVERHEAD);
    int n = srtp().protectRtcp(b, 0, plain.length);
    assertThat(n).isPositive();
    send(b, 0, n);
  }

  /** The next SRTP/SRTCP datagram from the server, or fails after the deadline. */
  byte[] awaitMedia() {
    try {
      byte[] b = media.poll(Poll.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(b).as("media from the server").isNotNull();
      return b;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private void read() {
    byte[] buf = new byte[2048];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    while (!socket.isClosed()) {
      try {
        p.setLength(buf.length);
        socket.receive(p);
      } catch (IOException e) {
        return; // closed
      }
      dispatch(buf, p.getLength());
    }
  }

  private void readTcp() {
    byte[] buf = new byte[65536];
    try {
      DataInputStream in = new DataInputStream(new BufferedInputStream(tcp.getInputStream()));
      while (true) {
        int len = in.readUnsignedShort();
        in.readFully(buf, 0, len);
        dispatch(buf, len);
      }
    } catch (IOException e) {
      tcpClosedByServer.complete(null); // end of stream, or closed by us
    }
  }

  private void dispatch(byte[] buf, int len) {
    if (len == 0) {
      return;
    }
    int first = buf[0] & 0xFF;
    if (first < 4) {
      stun.add(Arrays.copyOf(buf, len));
    } else if (first >= 20 && first < 64) {
      DtlsTransport t = dtls;
      if (t != null) {
        t.receive(buf, 0, len);
      }
    } else if (first >= 128 && first < 192) {
      media.add(Arrays.copyOf(buf, len));
    }
  }

  @Override
  public void close() {
    DtlsTransport t = dtls;
    if (t != null) {
      t.close();
    }
    try {
      if (tcp != null) {
        tcp.close();
      } else {
        socket.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      reader.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final class DtlsEvents implements DtlsTransport.Listener {
    @Override
    public void onConnected(SrtpKeyingMaterial keys, SrtpProfile profile) {
      dtlsConnected.complete(keys);
    }

    @Override
    public void onFailed(String reason) {
      dtlsFailed.complete(reason);
    }

    @Override
    public void onClosed() {
      dtlsClosed.complete(null);
    }
  }
}
