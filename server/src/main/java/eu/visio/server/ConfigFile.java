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
    JsonNode tree;
    try {
      tree = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    } catch (IOException e) {
      throw new Invalid("the configuration is not valid YAML: " + firstLine(e.getMessage()));
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      return empty();
    }
    ConfigSection root = ConfigSection.root(tree, TOP);
    ConfigSection rtc = root.section("rtc", RTC);
    if (rtc.get("use_external_ip").asBoolean(false)) {
      throw new Invalid(
          "rtc.use_external_ip: discovering the public address over STUN is not supported;"
              + " set rtc.node_ip");
    }
    Map<String, String> keys = new LinkedHashMap<>();
    if (root.has("keys")) {
      stringMap(root.get("keys"), "keys", keys);
    }
    if (root.has("key_file")) {
      Path f = relativeTo(dir, Path.of(root.text("key_file")));
      try {
        JsonNode fromFile = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(f));
        stringMap(fromFile, "key_file " + f.getFileName(), keys);
      } catch (IOException e) {
        throw new Invalid("key_file: cannot read " + f);
      }
    }
    List<ServerConfig.IceServer> ice =
        new ArrayList<>(root.list("turn_servers", ConfigFile::turnServer));
    ice.addAll(rtc.list("ice_servers", ConfigFile::iceServer));
    Optional<ServerConfig.Webhook> webhook =
        root.optionalSection("webhook", WEBHOOK, ConfigFile::webhook);
    Optional<String> level = root.section("logging", LOGGING).optional("level", ConfigFile::level);
    Optional<Database> database = root.optionalSection("database", DATABASE, ConfigFile::database);
    Optional<Oidc> oidc = root.optionalSection("oidc", OIDC, ConfigFile::oidc);
    Optional<URI> publicUrl = root.optional("public_url", ConfigSection::httpUri);
    Optional<Smtp> smtp = root.optionalSection("smtp", SMTP, ConfigFile::smtp);
    Optional<Path> dataDir = root.optionalText("data_dir").map(d -> relativeTo(dir, Path.of(d)));
    // Counted before any is read: two addresses are refused whatever they hold.
    List<JsonNode> binds = root.list("bind_addresses", (n, where) -> n);
    if (binds.size() > 1) {
      throw new Invalid("bind_addresses: one address is supported");
    }
    Optional<String> bind =
        binds.isEmpty()
            ? Optional.empty()
            : Optional.of(ConfigSection.text(binds.getFirst(), root.where("bind_addresses")));
    return new ConfigFile(
        root.optionalPort("port"),
        bind,
        rtc.optionalPort("udp_port"),
        rtc.optionalText("node_ip"),
        rtc.optionalPositive("media_workers"),
        rtc.optionalBool("loopback_candidates"),
        keys,
        ice,
        webhook,
        level,
        root.flag("development"),
        dataDir,
        database,
        oidc,
        publicUrl,
        smtp,
        // As in livekit-server: the ICE-TCP port, 0 for none.
        rtc.optionalPort("tcp_port"),
        root.optionalSection("tls", TLS, t -> tls(t, dir)),
        root.optionalSection("turn", TURN_SECTION, ConfigFile::turn),
        root.optionalSection("cluster", CLUSTER, ConfigFile::cluster),
        root.optional("drain_timeout", ConfigFile::drainTimeout));
  }

  /** {@code p}, relative to the configuration file's directory unless absolute. */
  private static Path relativeTo(Path dir, Path p) {
    return p.isAbsolute() || dir == null ? p : dir.resolve(p);
  }

  private static ServerConfig.IceServer turnServer(JsonNode n, String where) throws Invalid {
    ConfigSection t = ConfigSection.of(n, where + "[]", TURN);
    String host = t.text("host");
    int port = t.port("port", 3478);
    String protocol = t.get("protocol").asText("udp").toLowerCase(java.util.Locale.ROOT);
    String scheme =
        switch (protocol) {
          case "udp" -> "turn:" + host + ":" + port + "?transport=udp";
          case "tcp" -> "turn:" + host + ":" + port + "?transport=tcp";
          case "tls" -> "turns:" + host + ":" + port + "?transport=tcp";
          default -> throw new Invalid("turn_servers[].protocol: udp, tcp or tls");
        };
    return new ServerConfig.IceServer(
        List.of(scheme), t.get("username").asText(""), t.get("credential").asText(""));
  }

  private static ServerConfig.IceServer iceServer(JsonNode n, String where) throws Invalid {
    ConfigSection s = ConfigSection.of(n, where + "[]", ICE);
    return new ServerConfig.IceServer(
        s.list("urls", ConfigFile::iceUrl),
        s.get("username").asText(""),
        s.get("credential").asText(""));
  }

  private static String iceUrl(JsonNode n, String where) throws Invalid {
    String url = ConfigSection.text(n, where);
    if (!url.matches("(stun|stuns|turn|turns):[^\\s]+")) {
      throw new Invalid(where + ": not a stun: or turn: URL: " + url);
    }
    return url;
  }

  private static ServerConfig.Webhook webhook(ConfigSection w) throws Invalid {
    List<URI> urls = w.list("urls", ConfigFile::webhookUrl);
    return new ServerConfig.Webhook(w.optionalText("api_key").orElse(""), urls);
  }

  private static URI webhookUrl(JsonNode n, String where) throws Invalid {
    URI uri;
    try {
      uri = URI.create(ConfigSection.text(n, where));
    } catch (IllegalArgumentException e) {
      throw new Invalid(where + ": not a URL: " + n.asText());
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new Invalid(where + ": http or https only: " + uri);
    }
    return uri;
  }

  private static String level(JsonNode n, String where) throws Invalid {
    String l = ConfigSection.text(n, where).toLowerCase(java.util.Locale.ROOT);
    if (!LEVELS.contains(l)) {
      throw new Invalid(where + ": one of " + LEVELS);
    }
    return l;
  }

  private static Database database(ConfigSection db) throws Invalid {
    String url = db.text("url");
    if (!url.startsWith("jdbc:postgresql://")) {
      throw new Invalid("database.url: a jdbc:postgresql:// URL");
    }
    return new Database(url, db.optionalText("user").orElse("visio"), db.optionalText("password"));
  }

  private static Oidc oidc(ConfigSection o) throws Invalid {
    List<String> scopes = o.list("scopes", ConfigSection::text);
    return new Oidc(
        o.required("issuer", ConfigSection::httpUri),
        o.text("client_id"),
        o.optionalText("client_secret"),
        o.required("redirect_uri", ConfigSection::httpUri),
        scopes.isEmpty() ? List.of("openid", "email", "profile") : scopes,
        o.optionalText("acr_values"));
  }

  /** Seconds a drain (SIGTERM) waits for participants to leave: 1 to 3600. */
  private static int drainTimeout(JsonNode n, String where) throws Invalid {
    int s = ConfigSection.positive(n, where);
    if (s > 3600) {
      throw new Invalid(where + ": seconds from 1 to 3600");
    }
    return s;
  }

  private static Cluster cluster(ConfigSection c) throws Invalid {
    ConfigSection r = c.section("redis", REDIS);
    if (!r.present()) {
      throw new Invalid("cluster.redis: the Redis the nodes share (address, or sentinel_*)");
    }
    Optional<String> address = r.optional("address", ConfigSection::hostPort);
    Optional<String> master = r.optionalText("sentinel_master_name");
    List<String> sentinels = r.list("sentinel_addresses", ConfigSection::hostPort);
    if (address.isPresent() == (master.isPresent() || !sentinels.isEmpty())) {
      throw new Invalid(
          "cluster.redis: either address, or sentinel_master_name with sentinel_addresses");
    }
    if (master.isPresent() == sentinels.isEmpty()) {
      throw new Invalid("cluster.redis: sentinel_master_name and sentinel_addresses go together");
    }
    Optional<String> secret = c.optionalText("secret");
    if (secret.isPresent()
        && secret.get().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
            < MIN_CLUSTER_SECRET_BYTES) {
      throw new Invalid("cluster.secret: at least " + MIN_CLUSTER_SECRET_BYTES + " bytes");
    }
    ConfigSection cap = c.section("capacity", CAPACITY);
    Optional<Long> pps = cap.optional("packets_per_second", ConfigFile::packetsPerSecond);
    return new Cluster(
        address,
        master,
        sentinels,
        r.optionalText("password"),
        r.flag("use_tls"),
        c.optionalText("node_id"),
        c.optionalText("region"),
        secret,
        c.optional("http_url", ConfigSection::httpUri),
        cap.optionalPositive("participants"),
        pps,
        c.optional("cascade", ConfigFile::cascadeMode),
        c.optionalPort("link_port"));
  }

  private static long packetsPerSecond(JsonNode n, String where) throws Invalid {
    if (!n.canConvertToLong() || n.asLong() < 1) {
      throw new Invalid(where + ": a positive number");
    }
    return n.asLong();
  }

  private static eu.visio.signal.cluster.CascadeMode cascadeMode(JsonNode n, String where)
      throws Invalid {
    if (n.isBoolean() && !n.asBoolean()) {
      return eu.visio.signal.cluster.CascadeMode.OFF; // YAML 1.1 reads a bare off as false
    }
    String t = ConfigSection.text(n, where);
    return switch (t) {
      case "off" -> eu.visio.signal.cluster.CascadeMode.OFF;
      case "regions" -> eu.visio.signal.cluster.CascadeMode.REGIONS;
      case "always" -> eu.visio.signal.cluster.CascadeMode.ALWAYS;
      default -> throw new Invalid(where + ": regions, always or off, not " + t);
    };
  }

  private static Turn turn(ConfigSection t) throws Invalid {
    int start = t.port("relay_range_start", 0);
    int end = t.port("relay_range_end", 0);
    if ((start == 0) != (end == 0) || start > end) {
      throw new Invalid("turn.relay_range_start/end: both or neither, start <= end");
    }
    Optional<String> secret = t.optionalText("secret");
    if (secret.isPresent()
        && secret.get().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
            < ServerConfig.Turn.MIN_SECRET_BYTES) {
      throw new Invalid("turn.secret: at least " + ServerConfig.Turn.MIN_SECRET_BYTES + " bytes");
    }
    return new Turn(
        t.optionalBool("enabled"),
        t.optionalText("domain"),
        t.optionalPort("tls_port"),
        t.optionalPort("udp_port"),
        t.optionalPort("tcp_port"),
        start,
        end,
        t.flag("external_tls"),
        t.optionalText("relay_ip"),
        t.optionalText("realm"),
        secret,
        t.optionalPositive("allocations_per_user"),
        t.optionalPositive("max_allocations"),
        t.optionalBool("on_demand"));
  }

  private static Tls tls(ConfigSection t, Path dir) throws Invalid {
    boolean selfSigned = t.flag("self_signed");
    Optional<Path> cert = t.optionalText("cert_file").map(f -> relativeTo(dir, Path.of(f)));
    Optional<Path> key = t.optionalText("key_file").map(f -> relativeTo(dir, Path.of(f)));
    if (cert.isPresent() != key.isPresent()) {
      throw new Invalid("tls: cert_file and key_file go together");
    }
    if (selfSigned == cert.isPresent()) {
      throw new Invalid(
          "tls: either cert_file and key_file (PEM), or self_signed: true (development only)");
    }
    return new Tls(t.port("port", ServerConfig.Tls.DEFAULT_PORT), cert, key, selfSigned);
  }

  private static Smtp smtp(ConfigSection m) throws Invalid {
    eu.visio.meet.invite.SmtpConfig.Security security =
        switch (m.optionalText("security")
            .map(s -> s.toLowerCase(java.util.Locale.ROOT))
            .orElse("starttls")) {
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
    int port = m.port("port", usual);
    if (port == 0) {
      throw new Invalid("smtp.port: a port from 1 to 65535");
    }
    String from = m.text("from");
    try {
      // Strict parsing: the sender goes into a header, so it is checked once here.
      new jakarta.mail.internet.InternetAddress(from, true).validate();
    } catch (jakarta.mail.internet.AddressException e) {
      throw new Invalid("smtp.from: not an email address: " + from);
    }
    return new Smtp(
        m.text("host"),
        port,
        security,
        m.optionalText("username"),
        m.optionalText("password"),
        from);
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

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
