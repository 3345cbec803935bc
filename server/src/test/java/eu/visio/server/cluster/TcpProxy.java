package eu.visio.server.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The load balancer a cluster needs in front of its nodes, reduced to what tests need: a TCP proxy
 * on a loopback port that connects each client to the first backend that accepts, in a fixed order
 * of preference, skipping one that refuses (a dead node), then copies bytes both ways until either
 * side closes, and closes the other.
 *
 * <p>Why tests need it: a participant whose signalling node itself dies reconnects to the URL it
 * was given. Without something in front of the nodes that URL names the dead node and the client
 * cannot come back; in production that is the load balancer (or DNS) in front of the cluster. A
 * fixed order rather than round robin lets a test put each participant on a node of its choice
 * while that node lives (several proxies, each preferring another node) and know where it goes
 * next; the round-robin a real balancer does would only make that random.
 */
public final class TcpProxy implements AutoCloseable {
  private static final int CONNECT_TIMEOUT_MS = 1000;

  private final java.util.function.Supplier<List<InetSocketAddress>> backends;
  private final boolean readyOnly;
  private final java.net.http.HttpClient http =
      java.net.http.HttpClient.newBuilder()
          .connectTimeout(java.time.Duration.ofMillis(500))
          .build();
  private final ServerSocket server;
  private final AtomicInteger refused = new AtomicInteger();
  private final Thread acceptor;

  private TcpProxy(java.util.function.Supplier<List<InetSocketAddress>> backends, boolean readyOnly)
      throws IOException {
    this.backends = backends;
    this.readyOnly = readyOnly;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = Thread.ofVirtual().name("tcp-proxy-" + port()).start(this::accept);
  }

  /** A proxy to the first of {@code backends} that accepts, in that order. */
  public static TcpProxy preferring(List<InetSocketAddress> backends) throws IOException {
    List<InetSocketAddress> fixed = List.copyOf(backends);
    return new TcpProxy(() -> fixed, false);
  }

  /**
   * A proxy as a Kubernetes Service with readiness probes is: each connection goes to the first of
   * the backends {@code now} lists (asked at each connection: nodes come and go) whose HTTP {@code
   * /readyz} answers 200 then, so a draining node gets no new connection.
   */
  public static TcpProxy followingReadiness(
      java.util.function.Supplier<List<InetSocketAddress>> now) throws IOException {
    return new TcpProxy(now, true);
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Backend connections refused so far (dead backends skipped). */
  public int refused() {
    return refused.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      Thread.ofVirtual().start(() -> serve(client));
    }
  }

  private void serve(Socket client) {
    for (InetSocketAddress address : backends.get()) {
      if (readyOnly && !ready(address)) {
        continue;
      }
      Socket backend = new Socket();
      try {
        backend.connect(address, CONNECT_TIMEOUT_MS);
      } catch (IOException e) {
        refused.incrementAndGet();
        closeQuietly(backend);
        continue;
      }
      Thread.ofVirtual().start(() -> pump(backend, client));
      pump(client, backend);
      return;
    }
    closeQuietly(client); // no backend alive
  }

  private boolean ready(InetSocketAddress address) {
    java.net.URI readyz = java.net.URI.create("http://127.0.0.1:" + address.getPort() + "/readyz");
    try {
      return http.send(
                  java.net.http.HttpRequest.newBuilder(readyz)
                      .timeout(java.time.Duration.ofMillis(500))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false; // down
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Copies {@code from} to {@code to} until either ends, then closes both. */
  private static void pump(Socket from, Socket to) {
    byte[] buf = new byte[16 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // reset or closed: the other side is closed below
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    http.close();
    try {
      acceptor.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
