package eu.visio.loadtest.target;

import eu.visio.loadtest.bot.Bot;
import eu.visio.loadtest.bot.TurnRoute;
import eu.visio.loadtest.livekit.LiveKitBot;
import eu.visio.media.dtls.DtlsCertificate;
import eu.visio.media.turn.TurnCredentials;
import eu.visio.server.turn.TurnSecret;
import eu.visio.signal.token.ApiKeys;
import eu.visio.signal.token.TokenIssuer;
import eu.visio.signal.token.VideoGrant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import livekit.LivekitModels.VideoQuality;

/**
 * Our server, {@code eu.visio.server.Main}, in a JVM of its own on loopback: the development keys
 * (no keys configured, loopback bind), an HTTP port found free, an ephemeral media port (bots learn
 * it from the answer's candidate), no ICE-TCP, its embedded database under the work directory, and
 * {@code ./run}'s {@code -XX:+UseZGC}, no embedded TURN. Bots join over LiveKit's {@code /rtc/v1}
 * ({@link LiveKitBot}) with tokens signed with the development keys.
 *
 * <p>With {@code viaTurn}, the embedded TURN server listens on a UDP port found free (no TCP
 * listener), with a secret made for the run and handed over in {@code VISIO_TURN_SECRET}; each bot
 * gets TURN REST credentials from that secret for its identity and sends its media through a
 * channel of its own allocation to the server's candidate (the relay policy allows exactly the
 * media port), as a browser with {@code iceTransportPolicy: 'relay'} does.
 */
public final class VisioTarget implements Target {
  private static final String HOST = "127.0.0.1";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration TOKEN_TTL = Duration.ofHours(6);

  private final List<String> serverArgs;
  private final List<String> jvmArgs;
  private final boolean viaTurn;

  /**
   * @param serverArgs options added to the server's command line (e.g. {@code --media-workers 1});
   *     not the ones this target sets: {@code --bind}, the ports, {@code --data-dir}
   */
  public VisioTarget(List<String> serverArgs) {
    this(serverArgs, List.of());
  }

  /**
   * @param jvmArgs options for the server's JVM (e.g. {@code -XX:StartFlightRecording=...})
   */
  public VisioTarget(List<String> serverArgs, List<String> jvmArgs) {
    this(serverArgs, jvmArgs, false);
  }

  /**
   * @param viaTurn whether the bots' media goes through the server's embedded TURN over UDP
   */
  public VisioTarget(List<String> serverArgs, List<String> jvmArgs, boolean viaTurn) {
    this.serverArgs = List.copyOf(serverArgs);
    this.jvmArgs = List.copyOf(jvmArgs);
    this.viaTurn = viaTurn;
  }

  @Override
  public String name() {
    return viaTurn ? "visio-turn" : "visio";
  }

  @Override
  public boolean webrtc() {
    return true;
  }

  @Override
  public TargetSession start(Path workDir) throws IOException, InterruptedException {
    int httpPort = freeTcpPort();
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "--bind",
            HOST,
            "--http-port",
            Integer.toString(httpPort),
            "--udp-port",
            "0",
            "--tcp-port",
            "0",
            "--data-dir",
            Files.createDirectories(workDir.resolve("visio-data")).toString()));
    InetSocketAddress turn = null;
    String secret = null;
    if (viaTurn) {
      turn = new InetSocketAddress(HOST, freeUdpPort());
      secret = TurnSecret.random();
      args.addAll(
          List.of("--turn-udp-port", Integer.toString(turn.getPort()), "--turn-tcp-port", "0"));
    } else {
      // Otherwise the embedded TURN would take its default 3478 on loopback, and the server not
      // start while anything else (another build's server) holds it; the bots do not use it.
      args.add("--no-turn");
    }
    args.addAll(serverArgs);
    List<String> jvm = new ArrayList<>();
    jvm.add("-XX:+UseZGC");
    jvm.addAll(jvmArgs);
    ServerProcess p =
        ServerProcess.start(
            "eu.visio.server.Main",
            jvm,
            args,
            secret == null ? Map.of() : Map.of("VISIO_TURN_SECRET", secret),
            workDir.resolve("visio.log"));
    HttpClient http = HttpClient.newHttpClient();
    try {
      URI readyz = URI.create("http://" + HOST + ":" + httpPort + "/readyz");
      p.awaitReady("the visio server", () -> ready(http, readyz), START_TIMEOUT);
    } catch (IOException | InterruptedException | RuntimeException e) {
      http.close();
      p.close();
      throw e;
    }
    TurnCredentials credentials =
        secret == null ? null : new TurnCredentials(secret, Clock.systemUTC());
    return new Session(p, http, httpPort, turn, credentials);
  }

  private static boolean ready(HttpClient http, URI readyz) {
    try {
      HttpRequest r = HttpRequest.newBuilder(readyz).timeout(Duration.ofSeconds(2)).build();
      return http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false; // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * A TCP port nobody listens on now. Another process could take it before the server binds it; the
   * server then fails to start and says so, which a loopback benchmark can live with.
   */
  static int freeTcpPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return s.getLocalPort();
    }
  }

  /** A UDP port nothing is bound to now (the same race as {@link #freeTcpPort}). */
  static int freeUdpPort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName(HOST))) {
      return s.getLocalPort();
    }
  }

  private static final class Session implements TargetSession {
    private final ServerProcess process;
    private final HttpClient http;
    private final int httpPort;
    private final InetSocketAddress turn;
    private final TurnCredentials turnCredentials;
    private final TokenIssuer tokens =
        TokenIssuer.forKey(ApiKeys.development(), ApiKeys.DEV_KEY, Clock.systemUTC());
    private final ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("loadtest-pings").daemon(true).factory());

    /** The bots' certificate: one for all, as their fingerprints need not differ. */
    private final DtlsCertificate certificate = DtlsCertificate.generate();

    private final List<LiveKitBot> signalling = new ArrayList<>();

    Session(
        ServerProcess process,
        HttpClient http,
        int httpPort,
        InetSocketAddress turn,
        TurnCredentials turnCredentials) {
      this.process = process;
      this.http = http;
      this.httpPort = httpPort;
      this.turn = turn;
      this.turnCredentials = turnCredentials;
    }

    @Override
    public CompletableFuture<Void> join(Bot bot, BotPlan plan) {
      VideoQuality quality = plan.recvVideo() > 0 ? VideoQuality.forNumber(plan.layer()) : null;
      LiveKitBot lk =
          new LiveKitBot(
              bot,
              new LiveKitBot.Plan(
                  plan.audio(),
                  plan.video(),
                  plan.layers(),
                  plan.recvAudio(),
                  plan.recvVideo(),
                  quality),
              certificate);
      synchronized (signalling) {
        signalling.add(lk);
      }
      String token =
          tokens.issue(
              plan.identity(),
              plan.identity(),
              null,
              Map.of(),
              VideoGrant.join(plan.room()),
              TOKEN_TTL);
      if (turn != null) {
        TurnCredentials.Credential c = turnCredentials.issue(plan.identity(), TOKEN_TTL);
        bot.relayThrough(new TurnRoute(turn, c.username(), c.password()));
      }
      return lk.connect(http, HOST, httpPort, token, timer).thenCompose(x -> bot.ready());
    }

    @Override
    public long pid() {
      return process.pid();
    }

    /**
     * The server's cascade counters (a cluster node's), and what its subscribers' bandwidth
     * estimates and feedback to publishers stand at, from its metrics.
     */
    @Override
    public Map<String, String> extras() {
      Map<String, String> out = new java.util.LinkedHashMap<>();
      for (String line : metrics().split("\n")) {
        if (EXTRAS.stream().anyMatch(line::startsWith)) {
          int space = line.lastIndexOf(' ');
          out.put(line.substring(0, space), line.substring(space + 1));
        }
      }
      return out;
    }

    private static final List<String> EXTRAS =
        List.of(
            "visio_cluster_cascade",
            "visio_downlink_estimate_bps",
            "visio_keyframe_requests",
            "visio_nacks_sent",
            "visio_retransmissions",
            "visio_subscriber_nacked_packets",
            "visio_sfu_unsent_packets");

    private String metrics() {
      URI metrics = URI.create("http://" + HOST + ":" + httpPort + "/metrics");
      try {
        return http.send(
                HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted reading " + metrics, e);
      }
    }

    /** The server's TURN counters, from its metrics. */
    @Override
    public TurnTotals turnTotals() {
      if (turn == null) {
        return null;
      }
      return TurnTotals.parse(metrics());
    }

    @Override
    public void close() {
      List<CompletableFuture<Void>> leaving = new ArrayList<>();
      synchronized (signalling) {
        for (LiveKitBot lk : signalling) {
          try {
            leaving.add(lk.close());
          } catch (RuntimeException e) {
            // A bot whose WebSocket never opened has nothing to leave.
          }
        }
        signalling.clear();
      }
      CompletableFuture.allOf(leaving.toArray(CompletableFuture[]::new))
          .completeOnTimeout(null, 3, TimeUnit.SECONDS)
          .exceptionally(e -> null)
          .join();
      timer.shutdownNow();
      http.close();
      process.close();
    }
  }
}
