package eu.visio.server;

import eu.visio.server.ServerConfig.IceTcp;
import eu.visio.signal.token.ApiKeys;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Command line entry point: {@code java -jar visio-server.jar [options]}. Settings come from, in
 * increasing precedence: embedded defaults, the YAML file ({@code --config} or {@code
 * VISIO_CONFIG}), the environment ({@code VISIO_KEYS} or {@code LIVEKIT_KEYS}, {@code
 * VISIO_NODE_IP}, {@code VISIO_WHIP_TOKEN}, {@code VISIO_PUBLIC_URL}, {@code VISIO_SMTP_PASSWORD},
 * {@code VISIO_TURN_SECRET}, {@code VISIO_CLUSTER_SECRET}, {@code VISIO_REDIS_PASSWORD}: secrets
 * stay out of {@code ps}), then the options.
 */
@Command(
    name = "visio",
    mixinStandardHelpOptions = true,
    description = "Visio videoconferencing server (LiveKit-compatible SFU, WHIP/WHEP).")
public final class Main implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  @Option(names = "--config", description = "YAML configuration file (see config.example.yaml).")
  Path config;

  @Option(
      names = "--bind",
      description = "Address to bind (default 0.0.0.0; 127.0.0.1 with the development keys).")
  String bind;

  @Option(
      names = "--drain-timeout",
      description = "Seconds SIGTERM waits for participants to move before stopping (default 30).")
  Integer drainTimeoutSeconds;

  @Option(names = "--http-port", description = "HTTP port (default 7880).")
  Integer httpPort;

  @Option(names = "--udp-port", description = "Media UDP port (default 7882).")
  Integer udpPort;

  @Option(
      names = "--tcp-port",
      description = "Media TCP port for ICE-TCP (default 7881; 0 for none).")
  Integer tcpPort;

  @Option(
      names = "--tls-port",
      description =
          "HTTPS port, which also takes ICE-TCP (default 443 when TLS is configured; 0 for none).")
  Integer tlsPort;

  @Option(
      names = "--tls-cert",
      description = "PEM certificate chain for HTTPS (read again when it changes).")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      description = "PEM private key for HTTPS (PKCS#8, PKCS#1 or EC; not encrypted).")
  Path tlsKey;

  @Option(
      names = "--tls-self-signed",
      description = "HTTPS with a certificate made at start: development or loopback only.")
  boolean tlsSelfSigned;

  @Option(
      names = "--turn-udp-port",
      description = "Embedded TURN server over UDP (default 3478; 0 for none).")
  Integer turnUdpPort;

  @Option(
      names = "--turn-tcp-port",
      description = "Embedded TURN server over TCP (default 3478; 0 for none).")
  Integer turnTcpPort;

  @Option(
      names = "--turn-tls-port",
      description =
          "A TLS listener of TURN's own (e.g. 5349) besides TURN over TLS on the HTTPS port"
              + " (default none).")
  Integer turnTlsPort;

  @Option(names = "--no-turn", description = "No embedded TURN server.")
  boolean noTurn;

  @Option(
      names = "--announce",
      split = ",",
      description = "Addresses to offer as ICE candidates (default: rtc.node_ip, else discovered).")
  List<String> announce = new ArrayList<>();

  @Option(
      names = "--media-workers",
      description =
          "Media threads; each owns the rooms placed on it and, on Linux, its own socket on the"
              + " media port (default: one per processor).")
  Integer mediaWorkers;

  @Option(
      names = "--no-loopback-candidates",
      description = "Never offer loopback addresses as candidates.")
  boolean noLoopback;

  @Option(
      names = "--data-dir",
      description = "Where the embedded database lives (default ./data; unused with PostgreSQL).")
  Path dataDir;

  @Option(
      names = "--dev",
      description =
          "Development mode: allows the well-known keys devkey: secret on a non-loopback address.")
  boolean dev;

  @Option(
      names = "--drain",
      description =
          "Do not serve: ask the server this configuration describes, on this host, to drain"
              + " (send its participants to other nodes, take no new ones) and wait until it has,"
              + " at most its drain timeout. Exit status 0 once drained. For a Kubernetes preStop"
              + " hook, or before stopping a node by hand.")
  boolean drain;

  /** A setting that cannot be used; the message names it. */
  static final class BadConfig extends Exception {
    private static final long serialVersionUID = 1L;

    BadConfig(String message) {
      super(message);
    }
  }

  @Override
  public Integer call() throws Exception {
    ServerConfig cfg;
    Duration drainTimeout;
    try {
      ConfigFile file = readFile(System.getenv());
      file.logLevel().ifPresent(Main::setLogLevel);
      cfg = resolve(file, System.getenv());
      drainTimeout = drainTimeout(file);
    } catch (BadConfig | ConfigFile.Invalid e) {
      System.err.println("visio: " + e.getMessage());
      return 2;
    }
    if (drain) {
      return DrainCommand.run(cfg, drainTimeout, System.out);
    }
    VisioServer server = VisioServer.start(cfg);
    CountDownLatch stopped = new CountDownLatch(1);
    // SIGTERM (a rolling upgrade, Kubernetes' preStop) drains first: participants are sent on to
    // other nodes, or told to come back, before the server stops.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    server.drain(drainTimeout).get(drainTimeout.toSeconds() + 5, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  } catch (ExecutionException | TimeoutException e) {
                    System.err.println("visio: drain did not finish: " + e);
                  }
                  closeWithin(server, CLOSE_LIMIT);
                  stopped.countDown();
                },
                "visio-shutdown"));
    stopped.await();
    return 0;
  }

  /**
   * How long SIGTERM's close may take once the drain is over. Each part bounds its own waits (the
   * media ports 5 s each), but one part stuck for good (a database or Redis that no longer answers)
   * must not keep the process from exiting until a SIGKILL: beyond this the process exits anyway.
   */
  static final Duration CLOSE_LIMIT = Duration.ofSeconds(15);

  /** Closes {@code server} on a thread of its own, giving up after {@code limit}. */
  static void closeWithin(VisioServer server, Duration limit) {
    Thread closing = Thread.ofPlatform().name("visio-close").daemon(true).start(server::close);
    try {
      if (!closing.join(limit)) {
        StringBuilder where = new StringBuilder();
        for (StackTraceElement e : closing.getStackTrace()) {
          where.append("\n\tat ").append(e);
        }
        log.warn(
            "close did not finish within {} s; exiting anyway. It was at:{}",
            limit.toSeconds(),
            where);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** How long SIGTERM's drain waits: {@code --drain-timeout}, else the file's, else 30 s. */
  Duration drainTimeout(ConfigFile file) throws BadConfig {
    if (drainTimeoutSeconds != null) {
      if (drainTimeoutSeconds < 1 || drainTimeoutSeconds > 3600) {
        throw new BadConfig("--drain-timeout: seconds from 1 to 3600");
      }
      return Duration.ofSeconds(drainTimeoutSeconds);
    }
    return file.drainTimeoutSeconds().map(Duration::ofSeconds).orElse(Drain.DEFAULT_TIMEOUT);
  }

  ConfigFile readFile(Map<String, String> env) throws ConfigFile.Invalid {
    Path path = config;
    if (path == null && env.get("VISIO_CONFIG") != null && !env.get("VISIO_CONFIG").isBlank()) {
      path = Path.of(env.get("VISIO_CONFIG"));
    }
    return path == null ? ConfigFile.empty() : ConfigFile.read(path);
  }

  /** Merges defaults, the file, the environment and the options into the server's settings. */
  ServerConfig resolve(ConfigFile file, Map<String, String> env) throws BadConfig {
    ApiKeys keys = keys(file, env);
    // Without keys, the development pair is used: then the default bind is loopback only.
    String address =
        bind != null
            ? bind
            : file.bindAddress().orElse(keys.isDevelopment() ? "127.0.0.1" : "0.0.0.0");
    List<InetAddress> announced = new ArrayList<>();
    List<String> announce = new ArrayList<>(this.announce);
    if (announce.isEmpty()) {
      String nodeIp = env.getOrDefault("VISIO_NODE_IP", "");
      if (!nodeIp.isBlank()) {
        announce.add(nodeIp);
      } else {
        file.nodeIp().ifPresent(announce::add);
      }
    }
    for (String a : announce) {
      try {
        announced.add(InetAddress.getByName(a));
      } catch (UnknownHostException e) {
        throw new BadConfig("not an address: " + a);
      }
    }
    boolean development = dev || file.development();
    if (keys.isDevelopment()) {
      if (!isLoopback(address) && !development) {
        throw new BadConfig(
            "no API keys configured: the development keys (devkey: secret) are refused on "
                + address
                + "; set keys (VISIO_KEYS or the configuration file), bind 127.0.0.1, or pass --dev");
      }
      log.warn(
          "no API keys configured: using the development keys devkey: secret, for local use only");
    }
    ServerConfig.Webhook webhook = file.webhook().orElse(ServerConfig.Webhook.none());
    if (!webhook.urls().isEmpty()) {
      String key = webhook.apiKey().isEmpty() ? firstKey(keys) : webhook.apiKey();
      if (!keys.keyNames().contains(key)) {
        throw new BadConfig("webhook.api_key: no such key among the configured keys: " + key);
      }
      webhook = new ServerConfig.Webhook(key, webhook.urls());
    }
    // The WHIP/WHEP bearer token comes from the environment so it never shows in `ps`.
    Optional<String> whipToken =
        Optional.ofNullable(env.get("VISIO_WHIP_TOKEN")).filter(s -> !s.isBlank());
    eu.visio.meet.store.DatabaseConfig database = database(file, env);
    Optional<java.net.URI> publicUrl = publicUrl(file, env);
    Optional<eu.visio.meet.invite.SmtpConfig> smtp = smtp(file, env);
    if (smtp.isPresent() && publicUrl.isEmpty()) {
      throw new BadConfig(
          "smtp: invitations link to the meeting: set public_url (or VISIO_PUBLIC_URL)");
    }
    int http = httpPort != null ? httpPort : file.port().orElse(7880);
    Optional<eu.visio.signal.cluster.ClusterConfig> cluster =
        cluster(file, env, address, http, announced);
    try {
      return new ServerConfig(
          address,
          http,
          udpPort != null ? udpPort : file.udpPort().orElse(7882),
          announced,
          !noLoopback && file.loopbackCandidates().orElse(true),
          whipToken,
          mediaWorkers != null
              ? mediaWorkers
              : file.mediaWorkers().orElse(ServerConfig.defaultMediaWorkers()),
          keys,
          file.iceServers(),
          webhook,
          database,
          // Anyone may sign in as anyone: only with the development keys (loopback) or --dev.
          keys.isDevelopment() || development,
          oidc(file, env),
          publicUrl,
          smtp,
          iceTcp(tcpPort != null ? tcpPort : file.tcpPort().orElse(IceTcp.DEFAULT_PORT)),
          tls(file),
          turn(file, env),
          cluster);
    } catch (IllegalArgumentException e) {
      throw new BadConfig(e.getMessage());
    }
  }

  /**
   * The file's {@code cluster} section as this node's membership, or empty (a single node). The
   * secrets come from the environment first; the node's HTTP URL defaults to the first announced
   * address (node_ip), else the bind address, and the HTTP port; its media IP to the same address.
   */
  static Optional<eu.visio.signal.cluster.ClusterConfig> cluster(
      ConfigFile file, Map<String, String> env, String bind, int http, List<InetAddress> announced)
      throws BadConfig {
    if (file.cluster().isEmpty()) {
      return Optional.empty();
    }
    ConfigFile.Cluster c = file.cluster().get();
    String secret =
        Optional.ofNullable(env.get("VISIO_CLUSTER_SECRET"))
            .filter(v -> !v.isBlank())
            .or(c::secret)
            .orElseThrow(
                () -> new BadConfig("cluster: no secret (cluster.secret or VISIO_CLUSTER_SECRET)"));
    if (secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
        < ConfigFile.MIN_CLUSTER_SECRET_BYTES) {
      throw new BadConfig(
          "VISIO_CLUSTER_SECRET: at least " + ConfigFile.MIN_CLUSTER_SECRET_BYTES + " bytes");
    }
    String uri;
    if (c.redisAddress().isPresent()) {
      uri = (c.redisTls() ? "rediss://" : "redis://") + c.redisAddress().get();
    } else if (c.redisTls()) {
      throw new BadConfig("cluster.redis.use_tls: not supported with Sentinel");
    } else {
      uri =
          "redis-sentinel://"
              + String.join(",", c.sentinelAddresses())
              + "?sentinelMasterId="
              + c.sentinelMaster().orElseThrow();
    }
    String password =
        Optional.ofNullable(env.get("VISIO_REDIS_PASSWORD"))
            .filter(v -> !v.isBlank())
            .or(c::redisPassword)
            .orElse("");
    String host;
    if (!announced.isEmpty()) {
      host = announced.getFirst().getHostAddress();
    } else if (!isAnyLocal(bind)) {
      host = bind;
    } else if (c.httpUrl().isEmpty()) {
      throw new BadConfig(
          "cluster.http_url: the other nodes cannot reach " + bind + ": set it, or rtc.node_ip");
    } else {
      host = c.httpUrl().get().getHost();
    }
    java.net.URI url =
        c.httpUrl()
            .orElse(
                java.net.URI.create(
                    "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + http));
    try {
      eu.visio.signal.cluster.NodeCapacity d = eu.visio.signal.cluster.NodeCapacity.DEFAULT;
      return Optional.of(
          eu.visio.signal.cluster.ClusterConfig.of(
                  uri,
                  password,
                  c.nodeId().orElseGet(Main::randomNodeId),
                  c.region().orElse("default"),
                  url,
                  host,
                  eu.visio.signal.cluster.ClusterSecret.of(secret))
              .withCapacity(
                  new eu.visio.signal.cluster.NodeCapacity(
                      c.capacityParticipants().orElse(d.participants()),
                      c.capacityPacketsPerSecond().orElse(d.packetsPerSecond())))
              .withCascade(c.cascade().orElse(eu.visio.signal.cluster.CascadeMode.REGIONS))
              .withLinkPort(c.linkPort().orElse(0)));
    } catch (IllegalArgumentException e) {
      throw new BadConfig("cluster: " + e.getMessage()); // ClusterConfig never names a secret
    }
  }

  /** A node id for a node that names none: unique enough for a cluster's lifetime. */
  private static String randomNodeId() {
    byte[] b = new byte[6];
    new java.security.SecureRandom().nextBytes(b);
    return "node-" + java.util.HexFormat.of().formatHex(b);
  }

  private static boolean isAnyLocal(String address) {
    try {
      return InetAddress.getByName(address).isAnyLocalAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * HTTPS from the file's {@code tls} section, the options overriding it: the files, or a
   * self-signed certificate; {@code --tls-port 0} turns it off.
   */
  private Optional<ServerConfig.Tls> tls(ConfigFile file) throws BadConfig {
    Optional<ConfigFile.Tls> section = file.tls();
    boolean files = tlsCert != null || tlsKey != null;
    if (files && tlsSelfSigned) {
      throw new BadConfig("--tls-cert/--tls-key and --tls-self-signed: one or the other");
    }
    if (files && (tlsCert == null || tlsKey == null)) {
      throw new BadConfig("--tls-cert and --tls-key go together");
    }
    if (section.isEmpty() && !files && !tlsSelfSigned) {
      if (tlsPort != null && tlsPort != 0) {
        throw new BadConfig("--tls-port: give --tls-cert and --tls-key (or the tls section)");
      }
      return Optional.empty();
    }
    int port =
        tlsPort != null
            ? tlsPort
            : section.map(ConfigFile.Tls::port).orElse(ServerConfig.Tls.DEFAULT_PORT);
    if (port == 0) {
      return Optional.empty();
    }
    if (files) {
      return Optional.of(ServerConfig.Tls.files(port, tlsCert, tlsKey));
    }
    if (tlsSelfSigned || section.get().selfSigned()) {
      return Optional.of(ServerConfig.Tls.selfSigned(port));
    }
    return Optional.of(
        ServerConfig.Tls.files(
            port, section.get().certFile().orElseThrow(), section.get().keyFile().orElseThrow()));
  }

  /**
   * The embedded TURN server: on by default (UDP and TCP 3478, TLS on the HTTPS port), the file's
   * {@code turn} section and the options narrowing it; its secret from {@code VISIO_TURN_SECRET},
   * else the file, else the one kept in {@code data_dir}.
   */
  private ServerConfig.Turn turn(ConfigFile file, Map<String, String> env) throws BadConfig {
    ConfigFile.Turn t =
        file.turn()
            .orElse(
                new ConfigFile.Turn(
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    0,
                    0,
                    false,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty()));
    if (noTurn || !t.enabled().orElse(true)) {
      return ServerConfig.Turn.off();
    }
    Optional<String> secret =
        Optional.ofNullable(env.get("VISIO_TURN_SECRET")).filter(v -> !v.isBlank()).or(t::secret);
    Optional<InetAddress> relayIp = Optional.empty();
    if (t.relayIp().isPresent()) {
      try {
        relayIp = Optional.of(InetAddress.ofLiteral(t.relayIp().get()));
      } catch (IllegalArgumentException e) {
        throw new BadConfig("turn.relay_ip: not an IP address: " + t.relayIp().get());
      }
    }
    Path dir = dataDir != null ? dataDir : file.dataDir().orElse(Path.of("data"));
    try {
      return new ServerConfig.Turn(
          true,
          livekitPort(turnUdpPort, t.udpPort(), ServerConfig.Turn.DEFAULT_PORT),
          livekitPort(turnTcpPort, t.tcpPort(), ServerConfig.Turn.DEFAULT_PORT),
          livekitPort(turnTlsPort, t.tlsPort(), 0),
          true,
          t.externalTls(),
          t.domain(),
          relayIp,
          t.relayRangeStart(),
          t.relayRangeEnd(),
          t.realm(),
          secret,
          Optional.of(dir.resolve(eu.visio.server.turn.TurnSecret.FILE_NAME)),
          t.allocationsPerUser().orElse(ServerConfig.Turn.DEFAULT_PER_USER),
          t.maxAllocations().orElse(ServerConfig.Turn.DEFAULT_MAX_ALLOCATIONS),
          t.onDemand().orElse(true));
    } catch (IllegalArgumentException e) {
      throw new BadConfig(e.getMessage()); // never names the secret
    }
  }

  /** The option, else the file, else the default; 0 (as livekit-server reads it) is -1: none. */
  private static int livekitPort(Integer option, Optional<Integer> file, int fallback) {
    int p = option != null ? option : file.orElse(fallback);
    return p == 0 ? -1 : p;
  }

  /** As livekit-server reads {@code rtc.tcp_port}: 0 means no ICE-TCP. */
  private static IceTcp iceTcp(int port) {
    return port == 0 ? IceTcp.off() : IceTcp.on(port);
  }

  /**
   * PostgreSQL when {@code VISIO_DATABASE_URL} or the file's {@code database} names one (its
   * password from {@code VISIO_DATABASE_PASSWORD} first, so it stays out of files and {@code ps}),
   * else the embedded database in {@code --data-dir}, the file's {@code data_dir}, or {@code
   * ./data}.
   */
  private eu.visio.meet.store.DatabaseConfig database(ConfigFile file, Map<String, String> env)
      throws BadConfig {
    String url = env.getOrDefault("VISIO_DATABASE_URL", "");
    String user = env.getOrDefault("VISIO_DATABASE_USER", "");
    String password = env.getOrDefault("VISIO_DATABASE_PASSWORD", "");
    if (url.isBlank() && file.database().isPresent()) {
      ConfigFile.Database d = file.database().get();
      url = d.url();
      user = user.isBlank() ? d.user() : user;
      password = password.isBlank() ? d.password().orElse("") : password;
    }
    if (!url.isBlank()) {
      if (!url.startsWith("jdbc:postgresql://")) {
        throw new BadConfig("VISIO_DATABASE_URL: a jdbc:postgresql:// URL");
      }
      return eu.visio.meet.store.DatabaseConfig.postgres(
          url, user.isBlank() ? "visio" : user, password);
    }
    return eu.visio.meet.store.DatabaseConfig.embedded(
        dataDir != null ? dataDir : file.dataDir().orElse(Path.of("data")));
  }

  /** Where people reach the server: VISIO_PUBLIC_URL, else the file's {@code public_url}. */
  private static Optional<java.net.URI> publicUrl(ConfigFile file, Map<String, String> env)
      throws BadConfig {
    String fromEnv = env.getOrDefault("VISIO_PUBLIC_URL", "");
    if (fromEnv.isBlank()) {
      return file.publicUrl();
    }
    try {
      return Optional.of(new java.net.URI(fromEnv.strip()));
    } catch (java.net.URISyntaxException e) {
      throw new BadConfig("VISIO_PUBLIC_URL: not a URL");
    }
  }

  /**
   * The file's {@code smtp} section, its password from VISIO_SMTP_PASSWORD first (so it stays out
   * of files and {@code ps}). A password without a user name, or the reverse, is a mistake.
   */
  private static Optional<eu.visio.meet.invite.SmtpConfig> smtp(
      ConfigFile file, Map<String, String> env) throws BadConfig {
    if (file.smtp().isEmpty()) {
      return Optional.empty();
    }
    ConfigFile.Smtp s = file.smtp().get();
    Optional<String> password =
        Optional.ofNullable(env.get("VISIO_SMTP_PASSWORD"))
            .filter(p -> !p.isBlank())
            .or(s::password);
    if (s.username().isPresent() != password.isPresent()) {
      throw new BadConfig(
          "smtp: a username needs a password (smtp.password or VISIO_SMTP_PASSWORD), and the"
              + " reverse");
    }
    try {
      return Optional.of(
          new eu.visio.meet.invite.SmtpConfig(
              s.host(), s.port(), s.security(), s.username(), password, s.from()));
    } catch (IllegalArgumentException e) {
      throw new BadConfig("smtp: " + e.getMessage());
    }
  }

  /** The file's {@code oidc} section, its client secret from VISIO_OIDC_CLIENT_SECRET first. */
  private static Optional<eu.visio.meet.identity.OidcConfig> oidc(
      ConfigFile file, Map<String, String> env) throws BadConfig {
    if (file.oidc().isEmpty()) {
      return Optional.empty();
    }
    ConfigFile.Oidc o = file.oidc().get();
    String secret = env.getOrDefault("VISIO_OIDC_CLIENT_SECRET", o.clientSecret().orElse(""));
    if (secret.isBlank()) {
      throw new BadConfig(
          "oidc: no client secret (oidc.client_secret or VISIO_OIDC_CLIENT_SECRET)");
    }
    try {
      return Optional.of(
          new eu.visio.meet.identity.OidcConfig(
              o.issuer(),
              o.clientId(),
              secret,
              o.redirectUri(),
              o.scopes(),
              o.acrValues().map(a -> Map.of("acr_values", a)).orElse(Map.of()),
              eu.visio.meet.identity.OidcConfig.DEFAULT_HTTP_TIMEOUT));
    } catch (IllegalArgumentException e) {
      throw new BadConfig("oidc: " + e.getMessage());
    }
  }

  /** Keys from the environment, else the file, else the development pair. */
  private static ApiKeys keys(ConfigFile file, Map<String, String> env) throws BadConfig {
    String fromEnv = env.getOrDefault("VISIO_KEYS", env.getOrDefault("LIVEKIT_KEYS", ""));
    try {
      if (!fromEnv.isBlank()) {
        return ApiKeys.parse(fromEnv);
      }
      if (!file.keys().isEmpty()) {
        return ApiKeys.of(file.keys());
      }
    } catch (IllegalArgumentException e) {
      throw new BadConfig(e.getMessage()); // names the key, never the secret
    }
    return ApiKeys.development();
  }

  private static String firstKey(ApiKeys keys) {
    return keys.keyNames().stream().sorted().findFirst().orElse("");
  }

  static boolean isLoopback(String address) {
    try {
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** logging.level: Visio's own loggers (libraries stay at their levels in logback.xml). */
  private static void setLogLevel(String level) {
    if (LoggerFactory.getLogger("eu.visio") instanceof ch.qos.logback.classic.Logger visio) {
      visio.setLevel(ch.qos.logback.classic.Level.toLevel(level));
    }
  }

  public static void main(String[] args) {
    int code = new CommandLine(new Main()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }
}
