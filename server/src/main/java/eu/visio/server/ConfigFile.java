package eu.visio.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The YAML configuration file, in livekit-server's layout where the two overlap ({@code port},
 * {@code bind_addresses}, {@code rtc.udp_port}, {@code rtc.tcp_port} (0: no ICE-TCP), {@code
 * rtc.node_ip}, {@code keys}, {@code key_file}, {@code turn_servers}, {@code webhook}, {@code
 * logging.level}, {@code development}) plus our own ({@code rtc.media_workers}, {@code
 * rtc.loopback_candidates}, {@code rtc.ice_servers}, {@code data_dir}, {@code database}, {@code
 * oidc}, {@code public_url}, {@code smtp}, {@code tls}, {@code turn}: see {@link Turn}, {@code
 * cluster}: see {@link Cluster}). Every key is checked: a typo is an error naming it, never a
 * silently ignored setting. Values are validated here; secrets are never echoed in errors.
 *
 * <pre>{@code
 * port: 7880
 * rtc: {udp_port: 7882, tcp_port: 7881, node_ip: 203.0.113.7}
 * keys: {prodkey: "a secret of at least 32 bytes ..."}
 * webhook: {api_key: prodkey, urls: ["https://meet.example.org/hooks/livekit"]}
 * data_dir: /var/lib/visio          # the embedded database, when no database.url
 * database: {url: "jdbc:postgresql://db.internal:5432/visio", user: visio, password: "..."}
 * public_url: https://visio.example
 * smtp: {host: smtp.example, port: 587, security: starttls, username: visio, from: "Visio <no-reply@visio.example>"}
 * tls: {port: 443, cert_file: /etc/visio/fullchain.pem, key_file: /etc/visio/privkey.pem}
 * drain_timeout: 30                 # seconds SIGTERM waits for participants to move (Drain)
 * }</pre>
 */
record ConfigFile(
    Optional<Integer> port,
    Optional<String> bindAddress,
    Optional<Integer> udpPort,
    Optional<String> nodeIp,
    Optional<Integer> mediaWorkers,
    Optional<Boolean> loopbackCandidates,
    Map<String, String> keys,
    List<ServerConfig.IceServer> iceServers,
    Optional<ServerConfig.Webhook> webhook,
    Optional<String> logLevel,
    boolean development,
    Optional<Path> dataDir,
    Optional<Database> database,
    Optional<Oidc> oidc,
    Optional<URI> publicUrl,
    Optional<Smtp> smtp,
    Optional<Integer> tcpPort,
    Optional<Tls> tls,
    Optional<Turn> turn,
    Optional<Cluster> cluster,
    Optional<Integer> drainTimeoutSeconds) {

  /**
   * The {@code cluster} section: present, this server is one node of a cluster coordinated through
   * Redis (issue 10); absent, a single node. Redis as livekit-server's {@code redis} section names
   * it: {@code address} ({@code host:port}), or {@code sentinel_master_name} with {@code
   * sentinel_addresses}; {@code password} (or {@code VISIO_REDIS_PASSWORD}), {@code use_tls}. The
   * node: {@code node_id} (default random), {@code region}, {@code secret} (shared by every node,
   * at least 32 bytes, or {@code VISIO_CLUSTER_SECRET}), {@code http_url} (where the other nodes
   * reach this one's HTTP; default {@code rtc.node_ip} or the bind address, and {@code port}),
   * {@code capacity} ({@code participants}, {@code packets_per_second}), {@code cascade} ({@code
   * regions}, the default: a join is served where it lands when its room lives in another region or
   * on a full node; {@code always}; {@code off}), {@code link_port} (the UDP port of the cascade
   * links between nodes; default any free one).
   */
  record Cluster(
      Optional<String> redisAddress,
      Optional<String> sentinelMaster,
      List<String> sentinelAddresses,
      Optional<String> redisPassword,
      boolean redisTls,
      Optional<String> nodeId,
      Optional<String> region,
      Optional<String> secret,
      Optional<URI> httpUrl,
      Optional<Integer> capacityParticipants,
      Optional<Long> capacityPacketsPerSecond,
      Optional<eu.visio.signal.cluster.CascadeMode> cascade,
      Optional<Integer> linkPort) {
    /** Secrets stay out of logs. */
    @Override
    public String toString() {
      return "Cluster["
          + redisAddress.orElse("sentinel " + sentinelMaster.orElse("-"))
          + ", node "
          + nodeId.orElse("random")
          + ", secret "
          + (secret.isPresent() ? "set" : "-")
          + "]";
    }
  }

  /**
   * The {@code turn} section, in livekit-server's names where they mean the same ({@code enabled},
   * {@code domain}, {@code tls_port}, {@code udp_port}, {@code relay_range_start}, {@code
   * relay_range_end}, {@code external_tls}) plus ours ({@code tcp_port}, {@code relay_ip}, {@code
   * realm}, {@code secret}, {@code allocations_per_user}, {@code max_allocations}, {@code
   * on_demand}). Ports: 0 for none, as livekit-server reads them.
   */
  record Turn(
      Optional<Boolean> enabled,
      Optional<String> domain,
      Optional<Integer> tlsPort,
      Optional<Integer> udpPort,
      Optional<Integer> tcpPort,
      int relayRangeStart,
      int relayRangeEnd,
      boolean externalTls,
      Optional<String> relayIp,
      Optional<String> realm,
      Optional<String> secret,
      Optional<Integer> allocationsPerUser,
      Optional<Integer> maxAllocations,
      Optional<Boolean> onDemand) {
    /** The secret stays out of logs. */
    @Override
    public String toString() {
      return "Turn[" + domain.orElse("-") + ", secret " + (secret.isPresent() ? "set" : "-") + "]";
    }
  }

  /**
   * The {@code tls} section: the HTTPS port (default 443) with PEM files (relative to the
   * configuration file) or a self-signed certificate.
   */
  record Tls(int port, Optional<Path> certFile, Optional<Path> keyFile, boolean selfSigned) {}

  /** The OpenID Connect provider (the secret may instead come from VISIO_OIDC_CLIENT_SECRET). */
  record Oidc(
      URI issuer,
      String clientId,
      Optional<String> clientSecret,
      URI redirectUri,
      List<String> scopes,
      Optional<String> acrValues) {
    @Override
    public String toString() {
      return "Oidc[" + issuer + ", client " + clientId + "]";
    }
  }

  /**
   * The SMTP server invitations go through (the password may instead come from
   * VISIO_SMTP_PASSWORD). The port defaults to the security's usual one: 587 for STARTTLS (the
   * default security), 465 for TLS, 25 for none.
   */
  record Smtp(
      String host,
      int port,
      eu.visio.meet.invite.SmtpConfig.Security security,
      Optional<String> username,
      Optional<String> password,
      String from) {
    @Override
    public String toString() {
      return "Smtp[" + host + ":" + port + " " + security + ", from " + from + "]";
    }
  }

  /** A PostgreSQL database (the password may instead come from VISIO_DATABASE_PASSWORD). */
  record Database(String url, String user, Optional<String> password) {
    @Override
    public String toString() {
      return "Database[" + url + ", user " + user + "]";
    }
  }

  /** A configuration error, naming the key. */
  static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message);
    }
  }

  private static final Set<String> TOP =
      Set.of(
          "port",
          "bind_addresses",
          "rtc",
          "keys",
          "key_file",
          "turn_servers",
          "webhook",
          "logging",
          "development",
          "data_dir",
          "database",
          "oidc",
          "public_url",
          "smtp",
          "tls",
          "turn",
          "cluster",
          "drain_timeout");
  private static final Set<String> RTC =
      Set.of(
          "udp_port",
          "tcp_port",
          "node_ip",
          "use_external_ip",
          "media_workers",
          "loopback_candidates",
          "ice_servers");
  private static final Set<String> TURN =
      Set.of("host", "port", "protocol", "username", "credential");
  private static final Set<String> ICE = Set.of("urls", "username", "credential");
  private static final Set<String> WEBHOOK = Set.of("api_key", "urls");
  private static final Set<String> LOGGING = Set.of("level");
  private static final Set<String> DATABASE = Set.of("url", "user", "password");
  private static final Set<String> OIDC =
      Set.of("issuer", "client_id", "client_secret", "redirect_uri", "scopes", "acr_values");
  private static final Set<String> SMTP =
      Set.of("host", "port", "security", "username", "password", "from");
  private static final Set<String> TLS = Set.of("port", "cert_file", "key_file", "self_signed");
  private static final Set<String> TURN_SECTION =
      Set.of(
          "enabled",
          "domain",
          "tls_port",
          "udp_port",
          "tcp_port",
          "relay_range_start",
          "relay_range_end",
          "external_tls",
          "relay_ip",
          "realm",
          "secret",
          "allocations_per_user",
          "max_allocations",
          "on_demand");
  private static final Set<String> CLUSTER =
      Set.of(
          "redis", "node_id", "region", "secret", "http_url", "capacity", "cascade", "link_port");
  private static final Set<String> REDIS =
      Set.of("address", "password", "use_tls", "sentinel_master_name", "sentinel_addresses");
  private static final Set<String> CAPACITY = Set.of("participants", "packets_per_second");

  /** The shortest cluster secret: HMAC-SHA256's block strength (the bus refuses less). */
  static final int MIN_CLUSTER_SECRET_BYTES = 32;

  // host:port, the host a name, an IPv4 address or a bracketed IPv6 one.
  private static final java.util.regex.Pattern HOST_PORT =
      java.util.regex.Pattern.compile("([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\]):[0-9]{1,5}");

  private static final Set<String> LEVELS = Set.of("trace", "debug", "info", "warn", "error");

  static ConfigFile empty() {
    return new ConfigFile(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Map.of(),
        List.of(),
        Optional.empty(),
        Optional.empty(),
        false,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  static ConfigFile read(Path file) throws Invalid {
    try {
      return parse(Files.readString(file), file.getParent());
    } catch (IOException e) {
      throw new Invalid("cannot read the configuration file " + file + ": " + e.getMessage());
    }
  }

  /** Parses YAML text; {@code dir} resolves a relative {@code key_file}. */
  static ConfigFile parse(String yaml, Path dir) throws Invalid {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    } catch (IOException e) {
      throw new Invalid("the configuration is not valid YAML: " + firstLine(e.getMessage()));
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return empty();
    }
    object(root, "the configuration", TOP);
    JsonNode rtc = root.path("rtc");
    if (!rtc.isMissingNode()) {
      object(rtc, "rtc", RTC);
      if (rtc.path("use_external_ip").asBoolean(false)) {
        throw new Invalid(
            "rtc.use_external_ip: discovering the public address over STUN is not supported;"
                + " set rtc.node_ip");
      }
    }
    Map<String, String> keys = new LinkedHashMap<>();
    JsonNode k = root.path("keys");
    if (!k.isMissingNode()) {
      stringMap(k, "keys", keys);
    }
    if (root.has("key_file")) {
      Path f = Path.of(text(root.get("key_file"), "key_file"));
      if (!f.isAbsolute() && dir != null) {
        f = dir.resolve(f);
      }
      try {
        JsonNode fromFile = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(f));
        stringMap(fromFile, "key_file " + f.getFileName(), keys);
      } catch (IOException e) {
        throw new Invalid("key_file: cannot read " + f);
      }
    }
    List<ServerConfig.IceServer> ice = new ArrayList<>();
    for (JsonNode t : list(root.path("turn_servers"), "turn_servers")) {
      object(t, "turn_servers[]", TURN);
      String host = text(t.get("host"), "turn_servers[].host");
      int port = port(t.path("port"), "turn_servers[].port", 3478);
      String protocol = t.path("protocol").asText("udp").toLowerCase(java.util.Locale.ROOT);
      String scheme =
          switch (protocol) {
            case "udp" -> "turn:" + host + ":" + port + "?transport=udp";
            case "tcp" -> "turn:" + host + ":" + port + "?transport=tcp";
            case "tls" -> "turns:" + host + ":" + port + "?transport=tcp";
            default -> throw new Invalid("turn_servers[].protocol: udp, tcp or tls");
          };
      ice.add(
          new ServerConfig.IceServer(
              List.of(scheme), t.path("username").asText(""), t.path("credential").asText("")));
    }
    for (JsonNode s : list(rtc.path("ice_servers"), "rtc.ice_servers")) {
      object(s, "rtc.ice_servers[]", ICE);
      List<String> urls = new ArrayList<>();
      for (JsonNode u : list(s.path("urls"), "rtc.ice_servers[].urls")) {
        String url = text(u, "rtc.ice_servers[].urls");
        if (!url.matches("(stun|stuns|turn|turns):[^\\s]+")) {
          throw new Invalid("rtc.ice_servers[].urls: not a stun: or turn: URL: " + url);
        }
        urls.add(url);
      }
      ice.add(
          new ServerConfig.IceServer(
              urls, s.path("username").asText(""), s.path("credential").asText("")));
    }
    Optional<ServerConfig.Webhook> webhook = Optional.empty();
    JsonNode w = root.path("webhook");
    if (!w.isMissingNode()) {
      object(w, "webhook", WEBHOOK);
      List<URI> urls = new ArrayList<>();
      for (JsonNode u : list(w.path("urls"), "webhook.urls")) {
        URI uri;
        try {
          uri = URI.create(text(u, "webhook.urls"));
        } catch (IllegalArgumentException e) {
          throw new Invalid("webhook.urls: not a URL: " + u.asText());
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
          throw new Invalid("webhook.urls: http or https only: " + uri);
        }
        urls.add(uri);
      }
      webhook =
          Optional.of(
              new ServerConfig.Webhook(
                  w.has("api_key") ? text(w.get("api_key"), "webhook.api_key") : "", urls));
    }
    Optional<String> level = Optional.empty();
    JsonNode logging = root.path("logging");
    if (!logging.isMissingNode()) {
      object(logging, "logging", LOGGING);
      if (logging.has("level")) {
        String l = text(logging.get("level"), "logging.level").toLowerCase(java.util.Locale.ROOT);
        if (!LEVELS.contains(l)) {
          throw new Invalid("logging.level: one of " + LEVELS);
        }
        level = Optional.of(l);
      }
    }
    Optional<Database> database = Optional.empty();
    JsonNode db = root.path("database");
    if (!db.isMissingNode()) {
      object(db, "database", DATABASE);
      String url = text(db.get("url"), "database.url");
      if (!url.startsWith("jdbc:postgresql://")) {
        throw new Invalid("database.url: a jdbc:postgresql:// URL");
      }
      database =
          Optional.of(
              new Database(
                  url,
                  db.has("user") ? text(db.get("user"), "database.user") : "visio",
                  db.has("password")
                      ? Optional.of(text(db.get("password"), "database.password"))
                      : Optional.empty()));
    }
    Optional<Oidc> oidc = Optional.empty();
    JsonNode o = root.path("oidc");
    if (!o.isMissingNode()) {
      object(o, "oidc", OIDC);
      List<String> scopes = new ArrayList<>();
      for (JsonNode sc : list(o.path("scopes"), "oidc.scopes")) {
        scopes.add(text(sc, "oidc.scopes"));
      }
      oidc =
          Optional.of(
              new Oidc(
                  httpUri(o.get("issuer"), "oidc.issuer"),
                  text(o.get("client_id"), "oidc.client_id"),
                  o.has("client_secret")
                      ? Optional.of(text(o.get("client_secret"), "oidc.client_secret"))
                      : Optional.empty(),
                  httpUri(o.get("redirect_uri"), "oidc.redirect_uri"),
                  scopes.isEmpty() ? List.of("openid", "email", "profile") : scopes,
                  o.has("acr_values")
                      ? Optional.of(text(o.get("acr_values"), "oidc.acr_values"))
                      : Optional.empty()));
    }
    Optional<URI> publicUrl =
        root.has("public_url")
            ? Optional.of(httpUri(root.get("public_url"), "public_url"))
            : Optional.empty();
    Optional<Smtp> smtp = Optional.empty();
    JsonNode m = root.path("smtp");
    if (!m.isMissingNode()) {
      smtp = Optional.of(smtp(m));
    }
    Optional<Path> dataDir = Optional.empty();
    if (root.has("data_dir")) {
      Path d = Path.of(text(root.get("data_dir"), "data_dir"));
      dataDir = Optional.of(d.isAbsolute() || dir == null ? d : dir.resolve(d));
    }
    Optional<String> bind = Optional.empty();
    List<JsonNode> binds = list(root.path("bind_addresses"), "bind_addresses");
    if (binds.size() > 1) {
      throw new Invalid("bind_addresses: one address is supported");
    }
    if (!binds.isEmpty()) {
      bind = Optional.of(text(binds.getFirst(), "bind_addresses"));
    }
    return new ConfigFile(
        root.has("port") ? Optional.of(port(root.get("port"), "port", 0)) : Optional.empty(),
        bind,
        rtc.has("udp_port")
            ? Optional.of(port(rtc.get("udp_port"), "rtc.udp_port", 0))
            : Optional.empty(),
        rtc.has("node_ip")
            ? Optional.of(text(rtc.get("node_ip"), "rtc.node_ip"))
            : Optional.empty(),
        rtc.has("media_workers")
            ? Optional.of(positive(rtc.get("media_workers"), "rtc.media_workers"))
            : Optional.empty(),
        rtc.has("loopback_candidates")
            ? Optional.of(bool(rtc.get("loopback_candidates"), "rtc.loopback_candidates"))
            : Optional.empty(),
        keys,
        ice,
        webhook,
        level,
        root.has("development") && bool(root.get("development"), "development"),
        dataDir,
        database,
        oidc,
        publicUrl,
        smtp,
        // As in livekit-server: the ICE-TCP port, 0 for none.
        rtc.has("tcp_port")
            ? Optional.of(port(rtc.get("tcp_port"), "rtc.tcp_port", 0))
            : Optional.empty(),
        root.has("tls") ? Optional.of(tls(root.get("tls"), dir)) : Optional.empty(),
        root.has("turn") ? Optional.of(turn(root.get("turn"))) : Optional.empty(),
        root.has("cluster") ? Optional.of(cluster(root.get("cluster"))) : Optional.empty(),
        root.has("drain_timeout")
            ? Optional.of(drainTimeout(root.get("drain_timeout")))
            : Optional.empty());
  }

  /** Seconds a drain (SIGTERM) waits for participants to leave: 1 to 3600. */
  private static int drainTimeout(JsonNode n) throws Invalid {
    int s = positive(n, "drain_timeout");
    if (s > 3600) {
      throw new Invalid("drain_timeout: seconds from 1 to 3600");
    }
    return s;
  }

  private static Cluster cluster(JsonNode c) throws Invalid {
    object(c, "cluster", CLUSTER);
    JsonNode r = c.path("redis");
    if (r.isMissingNode()) {
      throw new Invalid("cluster.redis: the Redis the nodes share (address, or sentinel_*)");
    }
    object(r, "cluster.redis", REDIS);
    Optional<String> address =
        r.has("address")
            ? Optional.of(hostPort(r.get("address"), "cluster.redis.address"))
            : Optional.empty();
    Optional<String> master =
        r.has("sentinel_master_name")
            ? Optional.of(text(r.get("sentinel_master_name"), "cluster.redis.sentinel_master_name"))
            : Optional.empty();
    List<String> sentinels = new ArrayList<>();
    for (JsonNode a : list(r.path("sentinel_addresses"), "cluster.redis.sentinel_addresses")) {
      sentinels.add(hostPort(a, "cluster.redis.sentinel_addresses"));
    }
    if (address.isPresent() == (master.isPresent() || !sentinels.isEmpty())) {
      throw new Invalid(
          "cluster.redis: either address, or sentinel_master_name with sentinel_addresses");
    }
    if (master.isPresent() == sentinels.isEmpty()) {
      throw new Invalid("cluster.redis: sentinel_master_name and sentinel_addresses go together");
    }
    Optional<String> secret =
        c.has("secret") ? Optional.of(text(c.get("secret"), "cluster.secret")) : Optional.empty();
    if (secret.isPresent()
        && secret.get().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
            < MIN_CLUSTER_SECRET_BYTES) {
      throw new Invalid("cluster.secret: at least " + MIN_CLUSTER_SECRET_BYTES + " bytes");
    }
    JsonNode cap = c.path("capacity");
    if (!cap.isMissingNode()) {
      object(cap, "cluster.capacity", CAPACITY);
    }
    Optional<Long> pps = Optional.empty();
    if (cap.has("packets_per_second")) {
      JsonNode n = cap.get("packets_per_second");
      if (!n.canConvertToLong() || n.asLong() < 1) {
        throw new Invalid("cluster.capacity.packets_per_second: a positive number");
      }
      pps = Optional.of(n.asLong());
    }
    return new Cluster(
        address,
        master,
        sentinels,
        r.has("password")
            ? Optional.of(text(r.get("password"), "cluster.redis.password"))
            : Optional.empty(),
        r.has("use_tls") && bool(r.get("use_tls"), "cluster.redis.use_tls"),
        c.has("node_id")
            ? Optional.of(text(c.get("node_id"), "cluster.node_id"))
            : Optional.empty(),
        c.has("region") ? Optional.of(text(c.get("region"), "cluster.region")) : Optional.empty(),
        secret,
        c.has("http_url")
            ? Optional.of(httpUri(c.get("http_url"), "cluster.http_url"))
            : Optional.empty(),
        cap.has("participants")
            ? Optional.of(positive(cap.get("participants"), "cluster.capacity.participants"))
            : Optional.empty(),
        pps,
        c.has("cascade") ? Optional.of(cascadeMode(c.get("cascade"))) : Optional.empty(),
        c.has("link_port")
            ? Optional.of(port(c.get("link_port"), "cluster.link_port", 0))
            : Optional.empty());
  }

  private static eu.visio.signal.cluster.CascadeMode cascadeMode(JsonNode n) throws Invalid {
    if (n.isBoolean() && !n.asBoolean()) {
      return eu.visio.signal.cluster.CascadeMode.OFF; // YAML 1.1 reads a bare off as false
    }
    String t = text(n, "cluster.cascade");
    return switch (t) {
      case "off" -> eu.visio.signal.cluster.CascadeMode.OFF;
      case "regions" -> eu.visio.signal.cluster.CascadeMode.REGIONS;
      case "always" -> eu.visio.signal.cluster.CascadeMode.ALWAYS;
      default -> throw new Invalid("cluster.cascade: regions, always or off, not " + t);
    };
  }

  private static String hostPort(JsonNode n, String where) throws Invalid {
    String t = text(n, where);
    if (!HOST_PORT.matcher(t).matches()) {
      throw new Invalid(where + ": host:port, without credentials: " + t.replaceAll(".*@", ""));
    }
    return t;
  }

  private static Turn turn(JsonNode t) throws Invalid {
    object(t, "turn", TURN_SECTION);
    int start = port(t.path("relay_range_start"), "turn.relay_range_start", 0);
    int end = port(t.path("relay_range_end"), "turn.relay_range_end", 0);
    if ((start == 0) != (end == 0) || start > end) {
      throw new Invalid("turn.relay_range_start/end: both or neither, start <= end");
    }
    Optional<String> secret =
        t.has("secret") ? Optional.of(text(t.get("secret"), "turn.secret")) : Optional.empty();
    if (secret.isPresent()
        && secret.get().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
            < ServerConfig.Turn.MIN_SECRET_BYTES) {
      throw new Invalid("turn.secret: at least " + ServerConfig.Turn.MIN_SECRET_BYTES + " bytes");
    }
    return new Turn(
        t.has("enabled") ? Optional.of(bool(t.get("enabled"), "turn.enabled")) : Optional.empty(),
        t.has("domain") ? Optional.of(text(t.get("domain"), "turn.domain")) : Optional.empty(),
        t.has("tls_port")
            ? Optional.of(port(t.get("tls_port"), "turn.tls_port", 0))
            : Optional.empty(),
        t.has("udp_port")
            ? Optional.of(port(t.get("udp_port"), "turn.udp_port", 0))
            : Optional.empty(),
        t.has("tcp_port")
            ? Optional.of(port(t.get("tcp_port"), "turn.tcp_port", 0))
            : Optional.empty(),
        start,
        end,
        t.has("external_tls") && bool(t.get("external_tls"), "turn.external_tls"),
        t.has("relay_ip")
            ? Optional.of(text(t.get("relay_ip"), "turn.relay_ip"))
            : Optional.empty(),
        t.has("realm") ? Optional.of(text(t.get("realm"), "turn.realm")) : Optional.empty(),
        secret,
        t.has("allocations_per_user")
            ? Optional.of(positive(t.get("allocations_per_user"), "turn.allocations_per_user"))
            : Optional.empty(),
        t.has("max_allocations")
            ? Optional.of(positive(t.get("max_allocations"), "turn.max_allocations"))
            : Optional.empty(),
        t.has("on_demand")
            ? Optional.of(bool(t.get("on_demand"), "turn.on_demand"))
            : Optional.empty());
  }

  private static Tls tls(JsonNode t, Path dir) throws Invalid {
    object(t, "tls", TLS);
    boolean selfSigned = t.has("self_signed") && bool(t.get("self_signed"), "tls.self_signed");
    Optional<Path> cert =
        t.has("cert_file") ? Optional.of(file(t, "cert_file", dir)) : Optional.empty();
    Optional<Path> key =
        t.has("key_file") ? Optional.of(file(t, "key_file", dir)) : Optional.empty();
    if (cert.isPresent() != key.isPresent()) {
      throw new Invalid("tls: cert_file and key_file go together");
    }
    if (selfSigned == cert.isPresent()) {
      throw new Invalid(
          "tls: either cert_file and key_file (PEM), or self_signed: true (development only)");
    }
    return new Tls(
        port(t.path("port"), "tls.port", ServerConfig.Tls.DEFAULT_PORT), cert, key, selfSigned);
  }

  private static Path file(JsonNode t, String key, Path dir) throws Invalid {
    Path f = Path.of(text(t.get(key), "tls." + key));
    return f.isAbsolute() || dir == null ? f : dir.resolve(f);
  }

  private static Smtp smtp(JsonNode m) throws Invalid {
    object(m, "smtp", SMTP);
    eu.visio.meet.invite.SmtpConfig.Security security =
        switch (m.has("security")
            ? text(m.get("security"), "smtp.security").toLowerCase(java.util.Locale.ROOT)
            : "starttls") {
          case "none" -> eu.visio.meet.invite.SmtpConfig.Security.NONE;
          case "starttls" -> eu.visio.meet.invite.SmtpConfig.Security.STARTTLS;
          case "tls" -> eu.visio.meet.invite.SmtpConfig.Security.TLS;
          default -> throw new Invalid("smtp.security: none, starttls or tls");
        };
    int usual =
        switch (security) {
          case NONE -> 25;
          case STARTTLS -> 587;
          case TLS -> 465;
        };
    int port = port(m.path("port"), "smtp.port", usual);
    if (port == 0) {
      throw new Invalid("smtp.port: a port from 1 to 65535");
    }
    String from = text(m.get("from"), "smtp.from");
    try {
      // Strict parsing: the sender goes into a header, so it is checked once here.
      new jakarta.mail.internet.InternetAddress(from, true).validate();
    } catch (jakarta.mail.internet.AddressException e) {
      throw new Invalid("smtp.from: not an email address: " + from);
    }
    return new Smtp(
        text(m.get("host"), "smtp.host"),
        port,
        security,
        m.has("username")
            ? Optional.of(text(m.get("username"), "smtp.username"))
            : Optional.empty(),
        m.has("password")
            ? Optional.of(text(m.get("password"), "smtp.password"))
            : Optional.empty(),
        from);
  }

  private static URI httpUri(JsonNode n, String where) throws Invalid {
    String t = text(n, where);
    try {
      URI u = new URI(t);
      if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme())) {
        throw new Invalid(where + ": an http(s) URL");
      }
      return u;
    } catch (java.net.URISyntaxException e) {
      throw new Invalid(where + ": not a URL");
    }
  }

  private static void object(JsonNode n, String where, Set<String> allowed) throws Invalid {
    if (!n.isObject()) {
      throw new Invalid(where + ": expected a mapping");
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        throw new Invalid(
            where
                + ": unknown key '"
                + key
                + "' (known: "
                + String.join(", ", sorted(allowed))
                + ")");
      }
    }
  }

  private static List<String> sorted(Set<String> s) {
    return s.stream().sorted().toList();
  }

  private static List<JsonNode> list(JsonNode n, String where) throws Invalid {
    if (n.isMissingNode() || n.isNull()) {
      return List.of();
    }
    if (!n.isArray()) {
      throw new Invalid(where + ": expected a list");
    }
    List<JsonNode> out = new ArrayList<>();
    n.forEach(out::add);
    return out;
  }

  private static void stringMap(JsonNode n, String where, Map<String, String> into) throws Invalid {
    if (!n.isObject()) {
      throw new Invalid(where + ": expected 'key: secret' pairs");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw new Invalid(where + ": the secret of '" + e.getKey() + "' must be a string");
      }
      into.put(e.getKey(), e.getValue().asText());
    }
  }

  private static String text(JsonNode n, String where) throws Invalid {
    if (n == null || !n.isValueNode() || n.isNull() || n.asText().isBlank()) {
      throw new Invalid(where + ": expected a non-empty string");
    }
    return n.asText();
  }

  private static int port(JsonNode n, String where, int fallback) throws Invalid {
    if (n == null || n.isMissingNode()) {
      return fallback;
    }
    if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 0 || n.asInt() > 65535) {
      throw new Invalid(where + ": a port from 0 to 65535");
    }
    return n.asInt();
  }

  private static int positive(JsonNode n, String where) throws Invalid {
    // canConvertToInt alone takes 1.5 and reads it as 1
    if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 1) {
      throw new Invalid(where + ": a positive number");
    }
    return n.asInt();
  }

  private static boolean bool(JsonNode n, String where) throws Invalid {
    if (!n.isBoolean()) {
      throw new Invalid(where + ": true or false");
    }
    return n.asBoolean();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
