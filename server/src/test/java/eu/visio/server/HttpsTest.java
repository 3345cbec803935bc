package eu.visio.server;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.DropReason;
import eu.visio.media.stun.StunAttribute;
import eu.visio.media.stun.StunClass;
import eu.visio.media.stun.StunIntegrity;
import eu.visio.media.stun.StunMessage;
import eu.visio.media.stun.StunMethod;
import eu.visio.media.stun.StunWriter;
import eu.visio.server.ServerConfig.IceTcp;
import eu.visio.server.tls.ClientHellos;
import eu.visio.server.tls.ClientHellos.Alert;
import eu.visio.server.tls.ClientHellos.Answer;
import eu.visio.server.tls.ClientHellos.Closed;
import eu.visio.server.tls.ClientHellos.ServerHello;
import eu.visio.server.tls.StunStreamHandler;
import eu.visio.server.tls.TlsContext;
import eu.visio.server.tls.TlsFiles;
import eu.visio.server.tls.TlsFiles.KeyForm;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS port end to end, on a real server with PEM files written here: HTTPS over HTTP/1.1 and
 * HTTP/2 (ALPN), only TLS 1.2/1.3 with AEAD suites, the certificate reloaded when the files change,
 * ICE-TCP told from TLS by its first bytes and served, STUN inside TLS refused without a handler
 * and served with one, other protocols and floods of silent connections refused and counted.
 */
@Timeout(120)
class HttpsTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final SSLSocketFactory TRUSTING = TlsFiles.trustingAll().getSocketFactory();

  @TempDir static Path dir;
  private static Path cert;
  private static Path key;
  private static X509Certificate first;
  private static VisioServer server;

  @BeforeAll
  static void start() throws Exception {
    cert = dir.resolve("fullchain.pem");
    key = dir.resolve("privkey.pem");
    first = TlsFiles.write(cert, key, TlsFiles.ec(), KeyForm.PKCS8);
    server = VisioServer.start(loopbackConfig().withTls(ServerConfig.Tls.files(0, cert, key)));
  }

  static ServerConfig loopbackConfig() {
    return new ServerConfig("127.0.0.1", 0, 0, List.of(LOOPBACK), true, Optional.empty(), 1)
        .withIceTcp(IceTcp.on(0));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void httpsServesHttp2ByAlpnAndHttp11AndPlainHttpStays() throws Exception {
    record Case(HttpClient.Version asked, HttpClient.Version got) {}
    for (Case c :
        List.of(
            new Case(HttpClient.Version.HTTP_2, HttpClient.Version.HTTP_2),
            new Case(HttpClient.Version.HTTP_1_1, HttpClient.Version.HTTP_1_1))) {
      try (HttpClient client =
          HttpClient.newBuilder().sslContext(TlsFiles.trustingAll()).version(c.asked()).build()) {
        HttpResponse<String> r =
            client.send(
                HttpRequest.newBuilder(URI.create(https("/healthz"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(c.asked().name()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("ok");
        assertThat(r.version()).isEqualTo(c.got());
        assertThat(r.headers().firstValue("content-security-policy")).isPresent();
      }
    }
    assertThat(new WhipHttp(server).get("/healthz").body()).as("plain HTTP").isEqualTo("ok");
  }

  /**
   * ALPN as clients offer it: each gets the protocol it can speak. A client offering only {@code
   * http/1.1} (Chromium's WebSocket connections, curl --http1.1, urllib3) was once refused the
   * handshake, its offer compared with "HTTP/1.1".
   */
  @Test
  void alpnGivesEachClientAProtocolItOffered() throws Exception {
    record Case(List<String> offered, String negotiated) {}
    for (Case c :
        List.of(
            new Case(List.of("http/1.1"), "http/1.1"),
            new Case(List.of("h2", "http/1.1"), "h2"),
            new Case(List.of("http/1.1", "h2"), "h2"),
            new Case(List.of("h2"), "h2"),
            new Case(List.of(), ""))) {
      try (SSLSocket s = tlsSocket()) {
        javax.net.ssl.SSLParameters p = s.getSSLParameters();
        p.setApplicationProtocols(c.offered().toArray(String[]::new));
        s.setSSLParameters(p);
        s.startHandshake();
        assertThat(s.getApplicationProtocol()).as("%s", c.offered()).isEqualTo(c.negotiated());
        if (!c.negotiated().equals("h2")) {
          s.getOutputStream()
              .write(
                  "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                      .getBytes(StandardCharsets.US_ASCII));
          String response = new String(readToEnd(s), StandardCharsets.US_ASCII);
          assertThat(response).as("%s", c.offered()).startsWith("HTTP/1.1 200").endsWith("ok");
        }
      }
    }
  }

  /** The JDK client negotiates TLS 1.3, and TLS 1.2 with one of our suites when limited to it. */
  @Test
  void tls13AndTls12NegotiateAeadSuites() throws Exception {
    try (SSLSocket s = tlsSocket()) {
      s.setEnabledProtocols(new String[] {"TLSv1.3"});
      s.startHandshake();
      assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.3");
      assertThat(TlsContext.CIPHER_SUITES).contains(s.getSession().getCipherSuite());
    }
    try (SSLSocket s = tlsSocket()) {
      s.setEnabledProtocols(new String[] {"TLSv1.2"});
      s.setEnabledCipherSuites(s.getSupportedCipherSuites());
      s.startHandshake();
      assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.2");
      assertThat(s.getSession().getCipherSuite())
          .isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
    }
  }

  /** What the JDK client will not offer, offered by hand: refused with an alert. */
  @Test
  void oldProtocolsCbcAndRsaKeyExchangeAreRefused() throws Exception {
    record Case(String name, byte[] hello, Answer expected) {}
    List<Case> table =
        List.of(
            new Case(
                "TLS 1.2, ECDHE-ECDSA AES-GCM (the control)",
                ClientHellos.hello(
                    ClientHellos.TLS_1_2, ClientHellos.ECDHE_ECDSA_AES_128_GCM_SHA256),
                new ServerHello(ClientHellos.TLS_1_2, ClientHellos.ECDHE_ECDSA_AES_128_GCM_SHA256)),
            new Case(
                "TLS 1.1, even with a GCM suite",
                ClientHellos.hello(
                    ClientHellos.TLS_1_1,
                    ClientHellos.ECDHE_ECDSA_AES_128_GCM_SHA256,
                    ClientHellos.ECDHE_ECDSA_AES_128_CBC_SHA),
                new Alert(70)), // protocol_version
            new Case(
                "TLS 1.2, CBC suites only",
                ClientHellos.hello(
                    ClientHellos.TLS_1_2,
                    ClientHellos.ECDHE_ECDSA_AES_128_CBC_SHA,
                    ClientHellos.ECDHE_ECDSA_AES_128_CBC_SHA256,
                    ClientHellos.ECDHE_ECDSA_AES_256_CBC_SHA384),
                new Alert(40)), // handshake_failure
            new Case(
                "TLS 1.2, RSA key exchange only",
                ClientHellos.hello(
                    ClientHellos.TLS_1_2,
                    ClientHellos.RSA_AES_128_GCM_SHA256,
                    ClientHellos.RSA_AES_128_CBC_SHA),
                new Alert(40)));
    for (Case c : table) {
      try (Socket s = new Socket(LOOPBACK, server.tlsPort())) {
        s.setSoTimeout(10_000);
        Answer a = ClientHellos.send(s, c.hello());
        if (c.expected() instanceof Alert) {
          assertThat(a).as(c.name()).isIn(c.expected(), new Closed());
        } else {
          assertThat(a).as(c.name()).isEqualTo(c.expected());
        }
      }
    }
  }

  /** Its own server and files: the other tests rely on the first certificate staying. */
  @Test
  void aRenewedCertificateIsServedWithoutRestartAndAHalfWrittenOneIsNot() throws Exception {
    Path renewing = java.nio.file.Files.createDirectory(dir.resolve("renewing"));
    Path certFile = renewing.resolve("fullchain.pem");
    Path keyFile = renewing.resolve("privkey.pem");
    X509Certificate old = TlsFiles.write(certFile, keyFile, TlsFiles.ec(), KeyForm.PKCS8);
    try (VisioServer s =
        VisioServer.start(
            loopbackConfig()
                .withTls(
                    ServerConfig.Tls.files(0, certFile, keyFile)
                        .withReloadCheck(Duration.ofMillis(50))))) {
      int port = s.tlsPort();
      assertThat(servedCertificate(port)).isEqualTo(old);
      TlsContext tls = s.tls();

      // The certificate of a new pair, the old key still there: they do not belong together.
      KeyPair next = TlsFiles.rsa();
      X509Certificate renewed = TlsFiles.certificate(next);
      TlsFiles.replace(certFile, TlsFiles.pem(renewed));
      Poll.until("the mismatch noticed", () -> tls.refusedChanges() == 1);
      assertThat(servedCertificate(port)).as("kept while the pair disagrees").isEqualTo(old);

      TlsFiles.replace(keyFile, TlsFiles.pem(next, KeyForm.TRADITIONAL));
      Poll.until(
          "the renewed certificate served", () -> renewed.equals(servedCertificateQuietly(port)));
      assertThat(tls.certificate()).isEqualTo(renewed);
      // An RSA certificate now: still HTTP/2, with an ECDHE-RSA or TLS 1.3 suite.
      try (HttpClient client =
          HttpClient.newBuilder()
              .sslContext(TlsFiles.trustingAll())
              .version(HttpClient.Version.HTTP_2)
              .build()) {
        HttpResponse<String> r =
            client.send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/healthz"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
      }
    }
  }

  /**
   * A browser that can reach only the TLS port: the answer offers a passive TCP candidate there,
   * ranked below the ICE-TCP port's, and an RFC 4571-framed check on that port reaches the
   * transport and is answered on the same connection.
   */
  @Test
  void iceTcpReachesATransportThroughTheTlsPort() throws Exception {
    String answer =
        new WhipHttp(server)
            .post("/whip/cam", WhipHttp.SDP, WhipHttp.fixture("chrome-whip-offer.sdp"))
            .body();
    long iceTcpPriority = candidatePriority(answer, server.tcpPort());
    long tlsPriority = candidatePriority(answer, server.tlsPort());
    assertThat(tlsPriority).isLessThan(iceTcpPriority);
    String ufrag = attribute(answer, "ice-ufrag");
    String pwd = attribute(answer, "ice-pwd");

    try (Socket s = new Socket(LOOPBACK, server.tlsPort())) {
      s.setSoTimeout(10_000);
      byte[] txId = new byte[StunMessage.TRANSACTION_ID_LENGTH];
      new java.security.SecureRandom().nextBytes(txId);
      byte[] check = check(txId, ufrag + ":Hk3q", pwd);
      s.getOutputStream().write(framed(check));
      s.getOutputStream().flush();

      InputStream in = s.getInputStream();
      byte[] length = in.readNBytes(2);
      assertThat(length).hasSize(2);
      byte[] frame = in.readNBytes(((length[0] & 0xff) << 8) | (length[1] & 0xff));
      StunMessage r = StunMessage.parse(frame, 0, frame.length);
      assertThat(r.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
      assertThat(r.transactionIdEquals(txId, 0)).isTrue();
      assertThat(r.xorMappedAddress()).isEqualTo(s.getLocalSocketAddress());
      assertThat(r.verifyMessageIntegrity(StunIntegrity.shortTerm(pwd))).isTrue();
    }
    assertThat(server.drops().count(DropReason.TCP_BAD_FRAME)).isZero();
  }

  /** Without a TURN handler, TLS carrying STUN is closed and counted; HTTP without ALPN works. */
  @Test
  void stunInsideTlsIsRefusedWithoutAHandlerAndHttpWithoutAlpnServed() throws Exception {
    long before = server.drops().count(DropReason.STUN_OVER_TLS_UNHANDLED);
    try (SSLSocket s = tlsSocket()) {
      s.getOutputStream().write(bindingRequest());
      s.getOutputStream().flush();
      assertThat(readToEnd(s)).isEmpty();
    }
    Poll.until(
        "counted", () -> server.drops().count(DropReason.STUN_OVER_TLS_UNHANDLED) == before + 1);

    try (SSLSocket s = tlsSocket()) {
      s.getOutputStream()
          .write(
              "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      String response = new String(readToEnd(s), StandardCharsets.US_ASCII);
      assertThat(response).startsWith("HTTP/1.1 200").endsWith("ok");
    }
  }

  /**
   * A handler plugged in (as TURN over TLS will be) gets the plaintext stream and answers on it.
   */
  @Test
  void aStunStreamHandlerServesStunInsideTls() throws Exception {
    List<InetSocketAddress> remotes = new java.util.concurrent.CopyOnWriteArrayList<>();
    StunStreamHandler echo =
        (remote, peer) -> {
          remotes.add(remote);
          return bytes -> {
            peer.send(bytes);
            bytes.position(bytes.limit());
          };
        };
    try (VisioServer withHandler =
        VisioServer.start(loopbackConfig().withTls(ServerConfig.Tls.files(0, cert, key)), echo)) {
      try (SSLSocket s = (SSLSocket) TRUSTING.createSocket(LOOPBACK, withHandler.tlsPort())) {
        s.setSoTimeout(10_000);
        byte[] request = bindingRequest();
        s.getOutputStream().write(request);
        s.getOutputStream().flush();
        assertThat(s.getInputStream().readNBytes(request.length)).isEqualTo(request);
        // The relay passed the client's own address on (PROXY protocol), not its own.
        assertThat(remotes).containsExactly((InetSocketAddress) s.getLocalSocketAddress());
      }
      assertThat(withHandler.drops().count(DropReason.STUN_OVER_TLS_UNHANDLED)).isZero();
    }
  }

  @Test
  void otherProtocolsAreClosedAndCounted() throws Exception {
    record Case(String name, byte[] bytes) {}
    List<Case> table =
        List.of(
            new Case("plain HTTP", "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)),
            new Case("SSH", "SSH-2.0-OpenSSH_9.6\r\n".getBytes(StandardCharsets.US_ASCII)),
            new Case("zeros", new byte[16]),
            // STUN without the RFC 4571 length: TURN's framing, which is only taken inside TLS.
            new Case("unframed STUN", bindingRequest()));
    long counted = server.drops().count(DropReason.PORT_UNKNOWN_PROTOCOL);
    for (Case c : table) {
      try (Socket s = new Socket(LOOPBACK, server.tlsPort())) {
        s.setSoTimeout(10_000);
        s.getOutputStream().write(c.bytes());
        assertThat(readToEnd(s)).as(c.name()).isEmpty();
      }
      long expected = ++counted;
      Poll.until(
          c.name() + " counted",
          () -> server.drops().count(DropReason.PORT_UNKNOWN_PROTOCOL) == expected);
    }
  }

  /**
   * 32 connections from one address that have not said what they are: the 33rd is refused at once
   * and counted; once they go, the address is served again.
   */
  @Test
  void oneAddressHoldsAtMost32UnidentifiedConnections() throws Exception {
    long before = server.drops().count(DropReason.TCP_SOURCE_CAP);
    List<Socket> silent = new ArrayList<>();
    try {
      for (int i = 0; i < 32; i++) {
        Socket s = new Socket(LOOPBACK, server.tlsPort());
        s.getOutputStream().write(0x16); // the first byte of a TLS record, and no more
        silent.add(s);
      }
      try (Socket extra = new Socket(LOOPBACK, server.tlsPort())) {
        extra.setSoTimeout(10_000);
        assertThat(readToEnd(extra)).isEmpty();
      }
      assertThat(server.drops().count(DropReason.TCP_SOURCE_CAP)).isEqualTo(before + 1);
    } finally {
      for (Socket s : silent) {
        s.close();
      }
    }
    Poll.until("served again", () -> first.equals(servedCertificateQuietly(server.tlsPort())));
  }

  // --- helpers

  private static String https(String path) {
    return "https://127.0.0.1:" + server.tlsPort() + path;
  }

  private static SSLSocket tlsSocket() throws IOException {
    return tlsSocket(server.tlsPort());
  }

  private static SSLSocket tlsSocket(int port) throws IOException {
    SSLSocket s = (SSLSocket) TRUSTING.createSocket(LOOPBACK, port);
    s.setSoTimeout(10_000);
    return s;
  }

  private static X509Certificate servedCertificate(int port) throws IOException {
    try (SSLSocket s = tlsSocket(port)) {
      s.startHandshake();
      return (X509Certificate) s.getSession().getPeerCertificates()[0];
    }
  }

  private static X509Certificate servedCertificateQuietly(int port) {
    try {
      return servedCertificate(port);
    } catch (IOException e) {
      return null;
    }
  }

  /** Reads until the server closes (a reset counts as closed). */
  private static byte[] readToEnd(Socket s) throws IOException {
    try {
      return s.getInputStream().readAllBytes();
    } catch (java.net.SocketException reset) {
      return new byte[0];
    }
  }

  /** A minimal Binding request: header only (type 0001, length 0, cookie, transaction id). */
  private static byte[] bindingRequest() {
    return HexFormat.of().parseHex("0001" + "0000" + "2112a442" + "000102030405060708090a0b");
  }

  private static byte[] check(byte[] txId, String username, String pwd) {
    byte[] b = new byte[512];
    StunWriter w =
        new StunWriter()
            .start(b, 0, b.length, StunClass.REQUEST, StunMethod.BINDING, txId, 0)
            .addText(StunAttribute.USERNAME, username)
            .addUint32(StunAttribute.PRIORITY, 1_845_501_695L)
            .addUint64(StunAttribute.ICE_CONTROLLING, 42L);
    int n = w.addMessageIntegrity(StunIntegrity.shortTerm(pwd)).addFingerprint().finish();
    return Arrays.copyOf(b, n);
  }

  private static byte[] framed(byte[] packet) {
    byte[] b = new byte[packet.length + 2];
    b[0] = (byte) (packet.length >>> 8);
    b[1] = (byte) packet.length;
    System.arraycopy(packet, 0, b, 2, packet.length);
    return b;
  }

  private static String attribute(String sdp, String name) {
    Matcher m = Pattern.compile("a=" + name + ":(\\S+)").matcher(sdp);
    assertThat(m.find()).as(name).isTrue();
    return m.group(1);
  }

  /** The priority of the passive TCP host candidate on {@code port}. */
  private static long candidatePriority(String sdp, int port) {
    Matcher m =
        Pattern.compile("a=candidate:\\S+ 1 tcp (\\d+) \\S+ " + port + " typ host tcptype passive")
            .matcher(sdp);
    assertThat(m.find()).as("a passive TCP candidate on " + port + " in\n" + sdp).isTrue();
    return Long.parseLong(m.group(1));
  }
}
