package eu.visio.server;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.DropReason;
import eu.visio.server.tls.FirstBytes;
import eu.visio.server.tls.TlsFiles;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Whatever a client sends first on the TLS port, the server closes the connection, counts it when
 * it was neither TLS nor ICE-TCP, and goes on serving HTTPS.
 */
class TlsPortFuzzProperties {
  private static Path dir;
  private static VisioServer server;

  @BeforeContainer
  static void start() throws IOException {
    dir = Files.createTempDirectory("visio-tls-fuzz");
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    TlsFiles.write(cert, key, TlsFiles.ec(), TlsFiles.KeyForm.PKCS8);
    server =
        VisioServer.start(HttpsTest.loopbackConfig().withTls(ServerConfig.Tls.files(0, cert, key)));
  }

  @AfterContainer
  static void stop() throws Exception {
    try {
      // Still serving after everything thrown at it.
      try (HttpClient client = HttpClient.newBuilder().sslContext(TlsFiles.trustingAll()).build()) {
        HttpResponse<String> r =
            client.send(
                HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + server.tlsPort() + "/healthz"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).isEqualTo("ok");
      }
    } finally {
      server.close();
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) {
          Files.delete(p);
        }
      }
      Files.delete(dir);
    }
  }

  @Property(tries = 200)
  void anyFirstBytesEndInACloseAndUnknownOnesAreCounted(
      @ForAll @Size(min = 1, max = 64) byte[] first) throws IOException {
    long before = server.drops().count(DropReason.PORT_UNKNOWN_PROTOCOL);
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.tlsPort())) {
      s.setSoTimeout((int) Poll.DEADLINE.toMillis());
      s.getOutputStream().write(first);
      // No more to come: the server must decide with what it has.
      s.shutdownOutput();
      try {
        // A lucky ICE-TCP frame could be answered; anything else gets nothing but the close.
        s.getInputStream().readAllBytes();
      } catch (SocketException reset) {
        // closed too
      }
    }
    FirstBytes.Kind kind = FirstBytes.classify(Unpooled.wrappedBuffer(first));
    if (kind == FirstBytes.Kind.UNKNOWN || kind == FirstBytes.Kind.NEED_MORE) {
      Poll.until(
          "counted", () -> server.drops().count(DropReason.PORT_UNKNOWN_PROTOCOL) == before + 1);
    }
  }
}
