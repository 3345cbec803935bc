package eu.visio.loadtest.target;

import com.fasterxml.jackson.databind.JsonNode;
import eu.visio.loadtest.bot.Bot;
import eu.visio.loadtest.bot.RemoteMedia;
import eu.visio.loadtest.janus.AnswerWriter;
import eu.visio.loadtest.janus.JanusClient;
import eu.visio.loadtest.janus.JanusConfig;
import eu.visio.loadtest.janus.JanusMessages;
import eu.visio.loadtest.livekit.LiveKitBot;
import eu.visio.loadtest.livekit.OfferWriter;
import eu.visio.media.dtls.DtlsCertificate;
import eu.visio.media.dtls.DtlsParseException;
import eu.visio.media.dtls.DtlsRole;
import eu.visio.media.sdp.MediaDescription;
import eu.visio.media.sdp.SdpParseException;
import eu.visio.media.sdp.SessionDescription;
import eu.visio.media.sdp.Setup;
import eu.visio.media.sdp.SsrcGroup;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Janus 1.1 (Debian's package; installed with {@code apt-get} when {@code /usr/bin/janus} is
 * absent) on this machine with a configuration of our own ({@link JanusConfig}: VideoRoom and HTTP
 * on loopback only, ICE-lite on a local address, low logging), driven through its HTTP API ({@link
 * JanusClient}). The bots are the same as for our server; what differs is Janus's model: a
 * publisher publishes on a peer connection of its own (the bot's offer, Janus's answer, where Janus
 * takes the DTLS client role), and a subscriber subscribes to every feed it should receive on
 * another one (Janus's offer, the bot's answer), asking for the same simulcast layer as it asks our
 * server for. Publisher ids are the bots' publisher indices plus one, so a subscriber knows the
 * feeds it wants and waits until each is published.
 */
public final class JanusTarget implements Target {
  /** Where Debian's package puts it. */
  public static final Path DEFAULT_BINARY = Path.of("/usr/bin/janus");

  private static final String HOST = "127.0.0.1";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final int RTP_MIN_PORT = 40000;
  private static final int RTP_MAX_PORT = 49999;

  /**
   * Errors only: Janus's information lines are per handle, its warnings may be per packet. {@code
   * -Dloadtest.janus.debug=N} sets another.
   */
  private static final int DEBUG_LEVEL = Integer.getInteger("loadtest.janus.debug", 2);

  private static final String PASSWORD_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  private final Path binary;
  private final boolean install;
  private final PrintStream log;

  /** Debian's Janus, installed if absent, progress on standard error. */
  public JanusTarget() {
    this(DEFAULT_BINARY, true, System.err);
  }

  /**
   * @param binary the janus executable
   * @param install whether to install Debian's package when {@code binary} is absent
   */
  public JanusTarget(Path binary, boolean install, PrintStream log) {
    this.binary = binary;
    this.install = install;
    this.log = log;
  }

  @Override
  public String name() {
    return "janus";
  }

  @Override
  public boolean webrtc() {
    return true;
  }

  @Override
  public TargetSession start(Path workDir) throws IOException, InterruptedException {
    ensureInstalled();
    Path libDir = libDir(binary);
    int httpPort = VisioTarget.freeTcpPort();
    Path conf = Files.createTempDirectory("visio-janus-");
    new JanusConfig(
            libDir,
            iceAddress().getHostAddress(),
            httpPort,
            RTP_MIN_PORT,
            RTP_MAX_PORT,
            DEBUG_LEVEL)
        .write(conf);
    ServerProcess p;
    try {
      p =
          ServerProcess.exec(
              List.of(
                  binary.toString(),
                  "--config=" + conf.resolve("janus.jcfg"),
                  "--configs-folder=" + conf),
              workDir.resolve("janus.log"));
    } catch (IOException e) {
      deleteTree(conf);
      throw new IOException("cannot start Janus (" + binary + "): " + e.getMessage(), e);
    }
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI base = URI.create("http://" + HOST + ":" + httpPort + "/janus");
    JanusClient client = new JanusClient(http, base, log);
    try {
      p.awaitReady("Janus", () -> ready(http, URI.create(base + "/info")), START_TIMEOUT);
      client.connect();
      return new Session(p, http, client, conf, log);
    } catch (IOException | InterruptedException | RuntimeException e) {
      client.close();
      http.close();
      p.close();
      deleteTree(conf);
      throw e;
    }
  }

  /** Installs Debian's package when the binary is absent; fails saying why it cannot. */
  private void ensureInstalled() throws IOException, InterruptedException {
    if (Files.isExecutable(binary)) {
      return;
    }
    String help =
        "install Janus 1.1 by hand (Debian, Ubuntu: apt-get install janus), or run another --target";
    if (!install) {
      throw new IOException("Janus is not installed (" + binary + " is absent): " + help);
    }
    log.println(
        "janus: " + binary + " is absent; installing Debian's package: apt-get install -y janus");
    int rc = apt("install", "-y", "--no-install-recommends", "janus");
    if (rc != 0) {
      log.println("janus: apt-get install exited with " + rc + "; apt-get update, then again");
      rc = apt("update");
      if (rc == 0) {
        rc = apt("install", "-y", "--no-install-recommends", "janus");
      }
    }
    if (rc != 0 || !Files.isExecutable(binary)) {
      throw new IOException(
          "cannot install Janus: "
              + (rc == 0
                  ? "the package is installed but " + binary + " is absent"
                  : "apt-get exited with " + rc + " (it needs root and a reachable Debian mirror)")
              + "; "
              + help);
    }
    log.println("janus: installed " + binary);
  }

  /** Runs apt-get with its output copied to the log; returns its exit status (127: no apt-get). */
  private int apt(String... args) throws InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("apt-get");
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
    try {
      Process p = pb.start();
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          log.println("  " + line);
        }
      }
      return p.waitFor();
    } catch (IOException e) {
      log.println("janus: cannot run apt-get: " + e.getMessage());
      return 127;
    }
  }

  /**
   * Janus's library folder (plugins, transports, ...): {@code lib/janus} or {@code
   * lib/<multiarch>/janus} under the binary's prefix, {@code /usr} or {@code /usr/local}.
   */
  static Path libDir(Path binary) throws IOException {
    List<Path> prefixes = new ArrayList<>();
    Path bin = binary.toAbsolutePath().getParent();
    if (bin != null && bin.getParent() != null) {
      prefixes.add(bin.getParent());
    }
    prefixes.add(Path.of("/usr"));
    prefixes.add(Path.of("/usr/local"));
    for (Path prefix : prefixes) {
      Path lib = prefix.resolve("lib");
      List<Path> candidates = new ArrayList<>();
      candidates.add(lib.resolve("janus"));
      if (Files.isDirectory(lib)) {
        try (Stream<Path> s = Files.list(lib)) {
          s.sorted().forEach(d -> candidates.add(d.resolve("janus")));
        }
      }
      for (Path c : candidates) {
        if (Files.isRegularFile(c.resolve("plugins").resolve(JanusConfig.VIDEOROOM))) {
          return c;
        }
      }
    }
    throw new IOException(
        "Janus's VideoRoom plugin ("
            + JanusConfig.VIDEOROOM
            + ") is nowhere under lib/janus or lib/*/janus of "
            + prefixes);
  }

  /**
   * The address Janus gathers on: the first IPv4 address of an interface that is up and not a
   * loopback one (Janus skips those).
   */
  static InetAddress iceAddress() throws IOException {
    for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress a : nic.inetAddresses().toList()) {
        if (a instanceof Inet4Address) {
          return a;
        }
      }
    }
    throw new IOException(
        "Janus gathers no ICE candidates on a loopback interface, and this machine has no other"
            + " IPv4 address to run it on");
  }

  private static boolean ready(HttpClient http, URI info) {
    try {
      HttpRequest r = HttpRequest.newBuilder(info).timeout(Duration.ofSeconds(2)).build();
      return http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false; // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temporary directory left behind
    }
  }

  /** The publisher ids a bot subscribes to: every publisher of its plan but itself. */
  static List<Long> feedsFor(BotPlan plan, int publisherIndex) {
    int received = Math.max(plan.recvAudio(), plan.recvVideo());
    int publishers = received + (plan.publishes() && received > 0 ? 1 : 0);
    List<Long> feeds = new ArrayList<>();
    for (int i = 0; i < publishers; i++) {
      if (i != publisherIndex) {
        feeds.add(feedId(i));
      }
    }
    return feeds;
  }

  static long feedId(int publisherIndex) {
    return publisherIndex + 1L;
  }

  /** Our DTLS role and {@code a=setup} in an answer to an offer's {@code a=setup}. */
  static DtlsRole answerRole(Setup offered) throws DtlsParseException {
    if (offered == null) {
      throw new DtlsParseException("offer without a=setup");
    }
    return switch (offered) {
      case ACTPASS, PASSIVE -> DtlsRole.CLIENT; // as browsers answer
      case ACTIVE -> DtlsRole.SERVER;
      case HOLDCONN -> throw new DtlsParseException("a=setup:holdconn");
    };
  }

  private static Setup setup(SessionDescription sd) {
    MediaDescription m = sd.media().getFirst();
    return m.setup() != null ? m.setup() : sd.setup();
  }

  private static String random(int n) {
    StringBuilder sb = new StringBuilder(n);
    ThreadLocalRandom r = ThreadLocalRandom.current();
    for (int i = 0; i < n; i++) {
      sb.append(PASSWORD_CHARS.charAt(r.nextInt(PASSWORD_CHARS.length())));
    }
    return sb.toString();
  }

  private static final class Session implements TargetSession {
    /** Publishers a room takes: more than any scenario has. */
    private static final int ROOM_PUBLISHERS = 1000;

    private final ServerProcess process;
    private final HttpClient http;
    private final JanusClient client;
    private final Path conf;
    private final PrintStream log;
    private final DtlsCertificate certificate = DtlsCertificate.generate();
    private final AtomicLong roomIds = new AtomicLong(1000);
    private final Map<String, CompletableFuture<Long>> rooms = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> published = new ConcurrentHashMap<>();
    private final CompletableFuture<Long> admin;

    Session(
        ServerProcess process, HttpClient http, JanusClient client, Path conf, PrintStream log) {
      this.process = process;
      this.http = http;
      this.client = client;
      this.conf = conf;
      this.log = log;
      this.admin = client.attach(JanusMessages.VIDEOROOM);
    }

    private CompletableFuture<Long> room(String name) {
      return rooms.computeIfAbsent(
          name,
          n -> {
            long id = roomIds.incrementAndGet();
            return admin
                .thenCompose(h -> client.request(h, JanusMessages.createRoom(id, ROOM_PUBLISHERS)))
                .thenApply(r -> id);
          });
    }

    /** Completes once publisher {@code feed} of {@code room} sends media. */
    private CompletableFuture<Void> published(String room, long feed) {
      return published.computeIfAbsent(room + "/" + feed, k -> new CompletableFuture<>());
    }

    @Override
    public CompletableFuture<Void> join(Bot bot, BotPlan plan) {
      CompletableFuture<Void> pub = plan.publishes() ? publish(bot, plan) : null;
      CompletableFuture<Void> sub = plan.subscribes() ? subscribe(bot, plan) : null;
      if (pub == null) {
        return sub;
      }
      if (sub != null) {
        // Its subscription waits for publishers that may join after it (in a later batch): it
        // goes on in the background, and the runner's warm-up waits for its media.
        sub.exceptionally(
            e -> {
              log.println("janus: " + bot.name() + " cannot subscribe: " + rootMessage(e));
              return null;
            });
      }
      return pub;
    }

    private CompletableFuture<Void> publish(Bot bot, BotPlan plan) {
      String ufrag = random(8);
      String pwd = random(24);
      int index = bot.publisherIndex();
      String offer =
          OfferWriter.write(
              new OfferWriter.Offer(
                  ufrag,
                  pwd,
                  certificate.sha256Fingerprint().toString(),
                  plan.audio() ? 0x10000000 | index << 4 | 3 : 0,
                  plan.video(),
                  plan.identity(),
                  plan.identity() + "-audio",
                  plan.identity() + "-video",
                  plan.layers(),
                  0,
                  0),
              1);
      CompletableFuture<Void> ready =
          room(plan.room())
              .thenCompose(
                  room ->
                      client
                          .attach(JanusMessages.VIDEOROOM)
                          .thenCompose(
                              h ->
                                  client.message(
                                      h,
                                      JanusMessages.publish(room, feedId(index), plan.identity()),
                                      JanusMessages.offerLowToHigh(offer))))
              .thenCompose(
                  event -> {
                    try {
                      SessionDescription answer = sdp(event, "answer");
                      RemoteMedia remote = LiveKitBot.remote(answer);
                      DtlsRole role = DtlsRole.forRemoteAnswer(tokenOf(setup(answer)));
                      return bot.startWebRtc(remote, ufrag, pwd, certificate, role);
                    } catch (SdpParseException | DtlsParseException e) {
                      throw new CompletionException(e);
                    }
                  });
      CompletableFuture<Void> done = published(plan.room(), feedId(index));
      ready.whenComplete(
          (x, e) -> {
            if (e == null) {
              done.complete(null);
            } else {
              done.completeExceptionally(e);
            }
          });
      return ready;
    }

    private CompletableFuture<Void> subscribe(Bot bot, BotPlan plan) {
      String ufrag = random(8);
      String pwd = random(24);
      List<Long> feeds = feedsFor(plan, bot.publisherIndex());
      CompletableFuture<?>[] waits =
          feeds.stream().map(f -> published(plan.room(), f)).toArray(CompletableFuture[]::new);
      return CompletableFuture.allOf(waits)
          .thenCompose(x -> room(plan.room()))
          .thenCompose(
              room ->
                  client
                      .attach(JanusMessages.VIDEOROOM)
                      .thenCompose(
                          h ->
                              client
                                  .message(
                                      h, JanusMessages.subscribe(room, feeds, plan.layer()), null)
                                  .thenCompose(event -> answer(bot, plan, h, event, ufrag, pwd))));
    }

    /** Answers Janus's offer, starts the subscription, then connects the receiving leg. */
    private CompletableFuture<Void> answer(
        Bot bot, BotPlan plan, long handle, JsonNode event, String ufrag, String pwd) {
      SessionDescription offer;
      RemoteMedia remote;
      DtlsRole role;
      try {
        offer = sdp(event, "offer");
        remote = LiveKitBot.remote(offer);
        role = answerRole(setup(offer));
      } catch (SdpParseException | DtlsParseException e) {
        return CompletableFuture.failedFuture(e);
      }
      for (MediaDescription m : offer.media()) {
        for (SsrcGroup g : m.ssrcGroups()) {
          if (g.semantics().equals("FID") && g.ssrcs().size() == 2) {
            bot.addRtx(g.ssrcs().get(0).intValue(), g.ssrcs().get(1).intValue());
          }
        }
      }
      String answer =
          AnswerWriter.write(
              offer, ufrag, pwd, certificate.sha256Fingerprint().toString(), role.answerSetup());
      return client
          .message(handle, JanusMessages.start(), JanusMessages.answer(answer))
          .thenCompose(
              started ->
                  plan.publishes()
                      ? bot.startReceiving(remote, ufrag, pwd, certificate, role)
                      : bot.startWebRtc(remote, ufrag, pwd, certificate, role));
    }

    private static SessionDescription sdp(JsonNode event, String type) throws SdpParseException {
      String sdp = JanusMessages.sdpOf(event, type);
      if (sdp == null) {
        throw new SdpParseException("Janus sent no " + type + ": " + event);
      }
      return SessionDescription.parse(sdp);
    }

    private static String tokenOf(Setup s) {
      return s == null ? null : s.token();
    }

    private static String rootMessage(Throwable e) {
      while ((e instanceof CompletionException || e instanceof UncheckedIOException)
          && e.getCause() != null) {
        e = e.getCause();
      }
      return e.toString();
    }

    @Override
    public long pid() {
      return process.pid();
    }

    @Override
    public void close() {
      client.close();
      http.close();
      process.close();
      deleteTree(conf);
    }
  }
}
