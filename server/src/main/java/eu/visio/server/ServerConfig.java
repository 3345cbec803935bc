package eu.visio.server;

import eu.visio.meet.invite.SmtpConfig;
import eu.visio.meet.store.DatabaseConfig;
import eu.visio.signal.token.ApiKeys;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Everything the server needs to start, with embedded defaults: HTTP on 7880, media on UDP 7882 and
 * ICE-TCP on 7881.
 *
 * @param bindAddress address the HTTP and media sockets bind to
 * @param httpPort HTTP port (WHIP, WHEP, signalling, web app)
 * @param udpPort the single UDP port shared by every peer's media
 * @param announcedAddresses addresses offered as ICE host candidates; empty means discover them
 * @param includeLoopbackCandidates whether loopback addresses may be offered (tests, local dev)
 * @param whipToken bearer token WHIP and WHEP require, if any (never logged)
 * @param mediaWorkers media threads, each owning the rooms placed on it (on Linux each with its own
 *     socket on the media port)
 * @param apiKeys API keys and secrets LiveKit access tokens are signed with (never logged)
 * @param iceServers STUN and TURN servers handed to LiveKit clients
 * @param webhook where room events are POSTed, and the key they are signed with
 * @param database where the meeting service keeps rooms, users and roles (an embedded H2 file
 *     database by default, PostgreSQL when configured)
 * @param devSignIn whether anyone may sign in as anyone ({@code POST /api/v1/session/dev}): local
 *     development only
 * @param oidc the OpenID Connect provider people sign in with (ProConnect, Keycloak...), if any
 * @param publicUrl where people reach the server (e.g. {@code https://visio.example}): the base of
 *     the meeting links invitations carry and where the sign-in provider sends the browser back
 *     after logout
 * @param smtp where invitation emails are sent from, if anywhere (needs {@code publicUrl}: a mail
 *     without a link to the meeting is no invitation)
 * @param iceTcp the ICE-TCP media port, if any
 * @param tls the HTTPS port, if any (HTTP on {@code httpPort} stays)
 * @param turn the embedded TURN server (off in the programmatic constructors; {@link Main} turns it
 *     on by default)
 * @param cluster this node's membership of a cluster on Redis, or empty for a single node; an
 *     advertised HTTP URL with port 0 means the port HTTP is bound to (tests on ephemeral ports)
 */
public record ServerConfig(
    String bindAddress,
    int httpPort,
    int udpPort,
    List<InetAddress> announcedAddresses,
    boolean includeLoopbackCandidates,
    Optional<String> whipToken,
    int mediaWorkers,
    ApiKeys apiKeys,
    List<IceServer> iceServers,
    Webhook webhook,
    DatabaseConfig database,
    boolean devSignIn,
    Optional<eu.visio.meet.identity.OidcConfig> oidc,
    Optional<URI> publicUrl,
    Optional<SmtpConfig> smtp,
    IceTcp iceTcp,
    Optional<Tls> tls,
    Turn turn,
    Optional<eu.visio.signal.cluster.ClusterConfig> cluster) {

  public ServerConfig {
    if (mediaWorkers < 1) {
      throw new IllegalArgumentException("at least one media worker: " + mediaWorkers);
    }
    publicUrl.ifPresent(ServerConfig::checkPublicUrl);
    if (smtp.isPresent() && publicUrl.isEmpty()) {
      throw new IllegalArgumentException("invitations by email need the public URL (public_url)");
    }
    iceServers = List.copyOf(iceServers);
    if (!iceTcp.udpCandidates() && !iceTcp.portCandidates() && tls.isEmpty()) {
      throw new IllegalArgumentException("no ICE candidates left to offer (no TLS port)");
    }
    if (tls.isPresent() && tls.get().selfSigned() && !devSignIn && !isLoopback(bindAddress)) {
      throw new IllegalArgumentException(
          "tls.self_signed: a self-signed certificate is for local development only: set"
              + " development: true (or --dev), or bind a loopback address; otherwise give"
              + " tls.cert_file and tls.key_file");
    }
    if (turn.enabled()
        && turn.udpPort() < 0
        && turn.tcpPort() < 0
        && turn.tlsPort() < 0
        && (tls.isEmpty() || !turn.onHttpsPort())) {
      throw new IllegalArgumentException("turn: enabled without any listener");
    }
    if (turn.enabled() && turn.tlsPort() >= 0 && !turn.externalTls() && tls.isEmpty()) {
      throw new IllegalArgumentException(
          "turn.tls_port: TURN over TLS uses the certificate of the tls section: configure tls"
              + " (or set turn.external_tls when a load balancer terminates TLS)");
    }
  }

  /** A single node (the constructors below that predate the cluster). */
  public ServerConfig(
      String bindAddress,
      int httpPort,
      int udpPort,
      List<InetAddress> announcedAddresses,
      boolean includeLoopbackCandidates,
      Optional<String> whipToken,
      int mediaWorkers,
      ApiKeys apiKeys,
      List<IceServer> iceServers,
      Webhook webhook,
      DatabaseConfig database,
      boolean devSignIn,
      Optional<eu.visio.meet.identity.OidcConfig> oidc,
      Optional<URI> publicUrl,
      Optional<SmtpConfig> smtp,
      IceTcp iceTcp,
      Optional<Tls> tls,
      Turn turn) {
    this(
        bindAddress,
        httpPort,
        udpPort,
        announcedAddresses,
        includeLoopbackCandidates,
        whipToken,
        mediaWorkers,
        apiKeys,
        iceServers,
        webhook,
        database,
        devSignIn,
        oidc,
        publicUrl,
        smtp,
        iceTcp,
        tls,
        turn,
        Optional.empty());
  }

  /** This configuration without TURN (the constructors below that predate it). */
  public ServerConfig(
      String bindAddress,
      int httpPort,
      int udpPort,
      List<InetAddress> announcedAddresses,
      boolean includeLoopbackCandidates,
      Optional<String> whipToken,
      int mediaWorkers,
      ApiKeys apiKeys,
      List<IceServer> iceServers,
      Webhook webhook,
      DatabaseConfig database,
      boolean devSignIn,
      Optional<eu.visio.meet.identity.OidcConfig> oidc,
      Optional<URI> publicUrl,
      Optional<SmtpConfig> smtp,
      IceTcp iceTcp,
      Optional<Tls> tls) {
    this(
        bindAddress,
        httpPort,
        udpPort,
        announcedAddresses,
        includeLoopbackCandidates,
        whipToken,
        mediaWorkers,
        apiKeys,
        iceServers,
        webhook,
        database,
        devSignIn,
        oidc,
        publicUrl,
        smtp,
        iceTcp,
        tls,
        Turn.off());
  }

  /**
   * The embedded TURN server (RFC 8656), in livekit-server's {@code turn:} terms where they mean
   * the same. Ports: -1 for no listener, 0 for an ephemeral one (tests).
   *
   * @param enabled whether it runs at all
   * @param udpPort TURN over UDP (default 3478)
   * @param tcpPort TURN over TCP (default 3478)
   * @param tlsPort a TLS listener of its own (5349, say) besides TURN over TLS on the HTTPS port,
   *     or -1; with {@code externalTls}, the port the load balancer terminating TLS listens on
   * @param onHttpsPort TURN over TLS on the HTTPS port itself (when TLS is configured)
   * @param externalTls TLS terminated in front of this server (a load balancer forwarding the
   *     plaintext to {@code tcpPort}): {@code turns:domain:tlsPort} is handed out, nothing listens
   *     on {@code tlsPort} here
   * @param domain the name {@code turns:} URLs carry (must match the certificate); default the
   *     public URL's host, else the node address
   * @param relayIp the address relay sockets bind to; default the node address ({@code
   *     rtc.node_ip})
   * @param relayRangeStart first relay port, 0 with {@code relayRangeEnd} 0 for ephemeral ports
   * @param relayRangeEnd last relay port (inclusive)
   * @param realm REALM of the challenges; default the domain, else {@code visio}
   * @param secret the TURN REST secret (at least 32 bytes; never logged), or empty: then the one
   *     stored in {@code secretFile}, made there at first start, or (no file: tests) a random one
   * @param secretFile where a generated secret is kept, so credentials outlive a restart
   * @param allocationsPerUser allocations one identity may hold at once
   * @param maxAllocations allocations the server holds at once
   * @param onDemand whether a LiveKit client gets the relays only once it shows it reaches the SFU
   *     by no direct path (a browser given TURN allocates while gathering, needed or not: see
   *     {@code eu.visio.signal.livekit.RelayOnDemand}); false hands them to every participant
   */
  public record Turn(
      boolean enabled,
      int udpPort,
      int tcpPort,
      int tlsPort,
      boolean onHttpsPort,
      boolean externalTls,
      Optional<String> domain,
      Optional<InetAddress> relayIp,
      int relayRangeStart,
      int relayRangeEnd,
      Optional<String> realm,
      Optional<String> secret,
      Optional<java.nio.file.Path> secretFile,
      int allocationsPerUser,
      int maxAllocations,
      boolean onDemand) {
    /** The IANA port of TURN over UDP and TCP. */
    public static final int DEFAULT_PORT = 3478;

    /** The IANA port of TURN over TLS. */
    public static final int DEFAULT_TLS_PORT = 5349;

    /**
     * Allocations per identity: a browser allocates on each TURN URL of each peer connection while
     * gathering (up to eight), and a reload leaves the UDP ones of the last page until they expire.
     */
    public static final int DEFAULT_PER_USER = 32;

    public static final int DEFAULT_MAX_ALLOCATIONS = 10_000;

    /** The shortest secret accepted: HMAC-SHA1's key strength, as for API secrets. */
    public static final int MIN_SECRET_BYTES = 32;

    public Turn {
      for (int p : new int[] {udpPort, tcpPort, tlsPort}) {
        if (p < -1 || p > 65535) {
          throw new IllegalArgumentException("turn: ports from 0 to 65535: " + p);
        }
      }
      if (relayRangeStart < 0
          || relayRangeEnd > 65535
          || relayRangeStart > relayRangeEnd
          || (relayRangeStart == 0) != (relayRangeEnd == 0)) {
        throw new IllegalArgumentException(
            "turn.relay_range_start/end: both or neither, start <= end, within 1 to 65535");
      }
      if (secret.isPresent()
          && secret.get().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
              < MIN_SECRET_BYTES) {
        throw new IllegalArgumentException(
            "turn.secret: at least " + MIN_SECRET_BYTES + " bytes"); // the value is never echoed
      }
      if (externalTls && (tlsPort <= 0 || domain.isEmpty() || tcpPort < 0)) {
        throw new IllegalArgumentException(
            "turn.external_tls: needs turn.domain, turn.tls_port (the load balancer's) and"
                + " turn.tcp_port (where it forwards)");
      }
      if (allocationsPerUser < 1 || maxAllocations < allocationsPerUser) {
        throw new IllegalArgumentException(
            "turn: allocations_per_user at least 1 and no more than max_allocations");
      }
    }

    /** No TURN server. */
    public static Turn off() {
      return new Turn(
          false,
          -1,
          -1,
          -1,
          false,
          false,
          Optional.empty(),
          Optional.empty(),
          0,
          0,
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          DEFAULT_PER_USER,
          DEFAULT_MAX_ALLOCATIONS,
          true);
    }

    /**
     * TURN on UDP and TCP {@code port} (0: ephemeral ports, one each), and over TLS on the HTTPS
     * port when there is one; a random secret unless one is set.
     */
    public static Turn on(int port) {
      Copy c = new Copy(off());
      c.enabled = true;
      c.udpPort = port;
      c.tcpPort = port;
      c.onHttpsPort = true;
      return c.build();
    }

    /** The same with {@code secret} (at least 32 bytes). */
    public Turn withSecret(String secret) {
      Copy c = new Copy(this);
      c.secret = Optional.of(secret);
      return c.build();
    }

    /** The same with only the listeners named: -1 turns one off (tests pick one transport). */
    public Turn withListeners(int udp, int tcp, int tls, boolean onHttps) {
      Copy c = new Copy(this);
      c.udpPort = udp;
      c.tcpPort = tcp;
      c.tlsPort = tls;
      c.onHttpsPort = onHttps;
      return c.build();
    }

    /** The same, handing the relays to every participant at join ({@code on_demand: false}). */
    public Turn toEveryone() {
      Copy c = new Copy(this);
      c.onDemand = false;
      return c.build();
    }

    /** A mutable copy of every component, so that each with-method names only what it changes. */
    private static final class Copy {
      boolean enabled;
      int udpPort;
      int tcpPort;
      int tlsPort;
      boolean onHttpsPort;
      boolean externalTls;
      Optional<String> domain;
      Optional<InetAddress> relayIp;
      int relayRangeStart;
      int relayRangeEnd;
      Optional<String> realm;
      Optional<String> secret;
      Optional<java.nio.file.Path> secretFile;
      int allocationsPerUser;
      int maxAllocations;
      boolean onDemand;

      Copy(Turn t) {
        enabled = t.enabled;
        udpPort = t.udpPort;
        tcpPort = t.tcpPort;
        tlsPort = t.tlsPort;
        onHttpsPort = t.onHttpsPort;
        externalTls = t.externalTls;
        domain = t.domain;
        relayIp = t.relayIp;
        relayRangeStart = t.relayRangeStart;
        relayRangeEnd = t.relayRangeEnd;
        realm = t.realm;
        secret = t.secret;
        secretFile = t.secretFile;
        allocationsPerUser = t.allocationsPerUser;
        maxAllocations = t.maxAllocations;
        onDemand = t.onDemand;
      }

      Turn build() {
        return new Turn(
            enabled,
            udpPort,
            tcpPort,
            tlsPort,
            onHttpsPort,
            externalTls,
            domain,
            relayIp,
            relayRangeStart,
            relayRangeEnd,
            realm,
            secret,
            secretFile,
            allocationsPerUser,
            maxAllocations,
            onDemand);
      }
    }

    /** The secret stays out of logs. */
    @Override
    public String toString() {
      if (!enabled) {
        return "Turn[off]";
      }
      return "Turn[udp="
          + udpPort
          + ", tcp="
          + tcpPort
          + ", tls="
          + tlsPort
          + (onHttpsPort ? ", on the HTTPS port" : "")
          + (externalTls ? ", external TLS" : "")
          + ", domain="
          + domain.orElse("-")
          + ", relay="
          + relayIp.map(InetAddress::getHostAddress).orElse("node ip")
          + " "
          + relayRangeStart
          + "-"
          + relayRangeEnd
          + ", secret "
          + (secret.isPresent() ? "set" : secretFile.map(f -> "in " + f).orElse("random"))
          + ", quotas "
          + allocationsPerUser
          + "/"
          + maxAllocations
          + (onDemand ? ", on demand" : ", to everyone")
          + "]";
    }
  }

  /**
   * HTTPS on {@code port} (0: an ephemeral one, for tests), with the certificate chain and private
   * key from PEM files (read again when they change, checked every {@code reloadCheck}) or, for
   * local development, a self-signed certificate made at start. The port also takes ICE-TCP: a
   * connection whose first bytes are an RFC 4571-framed STUN Binding request is media, not TLS.
   */
  public record Tls(
      int port,
      Optional<java.nio.file.Path> certFile,
      Optional<java.nio.file.Path> keyFile,
      boolean selfSigned,
      java.time.Duration reloadCheck) {
    /** The HTTPS port a locked-down network lets out. */
    public static final int DEFAULT_PORT = 443;

    /** How often the PEM files are checked for a renewed certificate. */
    public static final java.time.Duration DEFAULT_RELOAD_CHECK = java.time.Duration.ofSeconds(5);

    public Tls {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("tls.port: 0 to 65535: " + port);
      }
      if (selfSigned == (certFile.isPresent() || keyFile.isPresent())) {
        throw new IllegalArgumentException(
            "tls: either cert_file and key_file, or self_signed: true (development only)");
      }
      if (certFile.isPresent() != keyFile.isPresent()) {
        throw new IllegalArgumentException("tls: cert_file and key_file go together");
      }
      if (reloadCheck.isNegative() || reloadCheck.isZero()) {
        throw new IllegalArgumentException("tls: the reload check period must be positive");
      }
    }

    /** HTTPS with the certificate chain and key in these PEM files. */
    public static Tls files(int port, java.nio.file.Path cert, java.nio.file.Path key) {
      return new Tls(port, Optional.of(cert), Optional.of(key), false, DEFAULT_RELOAD_CHECK);
    }

    /** HTTPS with a certificate made at start (local development only). */
    public static Tls selfSigned(int port) {
      return new Tls(port, Optional.empty(), Optional.empty(), true, DEFAULT_RELOAD_CHECK);
    }

    /** The same, checking the files every {@code period} (tests). */
    public Tls withReloadCheck(java.time.Duration period) {
      return new Tls(port, certFile, keyFile, selfSigned, period);
    }

    @Override
    public String toString() {
      return "Tls[port="
          + port
          + (selfSigned ? ", self-signed" : ", cert " + certFile.orElseThrow())
          + "]";
    }
  }

  private static boolean isLoopback(String address) {
    try {
      return java.net.InetAddress.getByName(address).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  /** A configuration without HTTPS. */
  public ServerConfig(
      String bindAddress,
      int httpPort,
      int udpPort,
      List<InetAddress> announcedAddresses,
      boolean includeLoopbackCandidates,
      Optional<String> whipToken,
      int mediaWorkers,
      ApiKeys apiKeys,
      List<IceServer> iceServers,
      Webhook webhook,
      DatabaseConfig database,
      boolean devSignIn,
      Optional<eu.visio.meet.identity.OidcConfig> oidc,
      Optional<URI> publicUrl,
      Optional<SmtpConfig> smtp,
      IceTcp iceTcp) {
    this(
        bindAddress,
        httpPort,
        udpPort,
        announcedAddresses,
        includeLoopbackCandidates,
        whipToken,
        mediaWorkers,
        apiKeys,
        iceServers,
        webhook,
        database,
        devSignIn,
        oidc,
        publicUrl,
        smtp,
        iceTcp,
        Optional.empty());
  }

  /**
   * ICE over TCP (RFC 6544): passive TCP host candidates on {@code port} (0: an ephemeral one, for
   * tests), offered next to the UDP ones with a lower priority, or none when not {@code enabled}.
   * {@code udpCandidates} false offers the TCP ones alone: only for tests that make a browser use
   * TCP (UDP still works for anyone who tries it, it is just not offered). {@code portCandidates}
   * false leaves out the candidates on {@code port} too, so only the TLS port's are offered: for
   * tests that make a browser reach media the way a network letting only 443 out would.
   */
  public record IceTcp(boolean enabled, int port, boolean udpCandidates, boolean portCandidates) {
    /** The port livekit-server uses for ICE-TCP. */
    public static final int DEFAULT_PORT = 7881;

    public IceTcp {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("ICE-TCP port: 0 to 65535: " + port);
      }
      if (!enabled && !udpCandidates) {
        throw new IllegalArgumentException("no ICE candidates left to offer");
      }
    }

    public IceTcp(boolean enabled, int port, boolean udpCandidates) {
      this(enabled, port, udpCandidates, true);
    }

    /** No ICE-TCP. */
    public static IceTcp off() {
      return new IceTcp(false, 0, true);
    }

    /** ICE-TCP on {@code port}, next to UDP. */
    public static IceTcp on(int port) {
      return new IceTcp(true, port, true);
    }

    /** The same, offering TCP candidates alone (tests only). */
    public IceTcp withoutUdpCandidates() {
      return new IceTcp(enabled, port, false, portCandidates);
    }

    /** The same, offering only the TLS port's TCP candidates (tests only; needs TLS). */
    public IceTcp onlyOnTheTlsPort() {
      return new IceTcp(enabled, port, false, false);
    }
  }

  /** A STUN or TURN server for clients (LiveKit's {@code ICEServer}); the credential is secret. */
  public record IceServer(List<String> urls, String username, String credential) {
    public IceServer {
      urls = List.copyOf(urls);
    }

    @Override
    public String toString() {
      return "IceServer" + urls;
    }
  }

  /** Webhook URLs and the API key that signs them (empty key: the first configured key). */
  public record Webhook(String apiKey, List<java.net.URI> urls) {
    public Webhook {
      urls = List.copyOf(urls);
    }

    public static Webhook none() {
      return new Webhook("", List.of());
    }
  }

  /** A configuration without ICE-TCP. */
  public ServerConfig(
      String bindAddress,
      int httpPort,
      int udpPort,
      List<InetAddress> announcedAddresses,
      boolean includeLoopbackCandidates,
      Optional<String> whipToken,
      int mediaWorkers,
      ApiKeys apiKeys,
      List<IceServer> iceServers,
      Webhook webhook,
      DatabaseConfig database,
      boolean devSignIn,
      Optional<eu.visio.meet.identity.OidcConfig> oidc,
      Optional<URI> publicUrl,
      Optional<SmtpConfig> smtp) {
    this(
        bindAddress,
        httpPort,
        udpPort,
        announcedAddresses,
        includeLoopbackCandidates,
        whipToken,
        mediaWorkers,
        apiKeys,
        iceServers,
        webhook,
        database,
        devSignIn,
        oidc,
        publicUrl,
        smtp,
        IceTcp.off());
  }

  /** A configuration with a private in-memory database (tests, tools). */
  public ServerConfig(
      String bindAddress,
      int httpPort,
      int udpPort,
      List<InetAddress> announcedAddresses,
      boolean includeLoopbackCandidates,
      Optional<String> whipToken,
      int mediaWorkers,
      ApiKeys apiKeys,
      List<IceServer> iceServers,
      Webhook webhook) {
    this(
        bindAddress,
        httpPort,
        udpPort,
        announcedAddresses,
        includeLoopbackCandidates,
        whipToken,
        mediaWorkers,
        apiKeys,
        iceServers,
        webhook,
        inMemoryDatabase(),
        false,
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /** The same configuration with development sign-in on or off. */
  public ServerConfig withDevSignIn(boolean on) {
    Copy c = new Copy(this);
    c.devSignIn = on;
    return c.build();
  }

  /** The same configuration signing people in with {@code provider}. */
  public ServerConfig withOidc(eu.visio.meet.identity.OidcConfig provider) {
    Copy c = new Copy(this);
    c.oidc = Optional.of(provider);
    return c.build();
  }

  /** The same configuration reached by people at {@code url}. */
  public ServerConfig withPublicUrl(URI url) {
    Copy c = new Copy(this);
    c.publicUrl = Optional.of(url);
    return c.build();
  }

  /**
   * The same configuration sending invitations through {@code server} (set the public URL first).
   */
  public ServerConfig withSmtp(SmtpConfig server) {
    Copy c = new Copy(this);
    c.smtp = Optional.of(server);
    return c.build();
  }

  /** The same configuration with another ICE-TCP setting. */
  public ServerConfig withIceTcp(IceTcp tcp) {
    Copy c = new Copy(this);
    c.iceTcp = tcp;
    return c.build();
  }

  /** The same configuration with HTTPS as {@code https}. */
  public ServerConfig withTls(Tls https) {
    Copy c = new Copy(this);
    c.tls = Optional.of(https);
    return c.build();
  }

  /** The same configuration with the embedded TURN server as {@code t}. */
  public ServerConfig withTurn(Turn t) {
    Copy c = new Copy(this);
    c.turn = t;
    return c.build();
  }

  /** The same configuration as a node of the cluster {@code node}. */
  public ServerConfig withCluster(eu.visio.signal.cluster.ClusterConfig node) {
    Copy c = new Copy(this);
    c.cluster = Optional.of(node);
    return c.build();
  }

  /** The same configuration sending its webhooks as {@code hooks} says. */
  public ServerConfig withWebhook(Webhook hooks) {
    Copy c = new Copy(this);
    c.webhook = hooks;
    return c.build();
  }

  /** The same configuration on another database. */
  public ServerConfig withDatabase(DatabaseConfig other) {
    Copy c = new Copy(this);
    c.database = other;
    return c.build();
  }

  /**
   * A mutable copy of every component, so that each with-method names only what it changes (a
   * record's canonical constructor takes them all).
   */
  private static final class Copy {
    String bindAddress;
    int httpPort;
    int udpPort;
    List<InetAddress> announcedAddresses;
    boolean includeLoopbackCandidates;
    Optional<String> whipToken;
    int mediaWorkers;
    ApiKeys apiKeys;
    List<IceServer> iceServers;
    Webhook webhook;
    DatabaseConfig database;
    boolean devSignIn;
    Optional<eu.visio.meet.identity.OidcConfig> oidc;
    Optional<URI> publicUrl;
    Optional<SmtpConfig> smtp;
    IceTcp iceTcp;
    Optional<Tls> tls;
    Turn turn;
    Optional<eu.visio.signal.cluster.ClusterConfig> cluster;

    Copy(ServerConfig c) {
      bindAddress = c.bindAddress;
      httpPort = c.httpPort;
      udpPort = c.udpPort;
      announcedAddresses = c.announcedAddresses;
      includeLoopbackCandidates = c.includeLoopbackCandidates;
      whipToken = c.whipToken;
      mediaWorkers = c.mediaWorkers;
      apiKeys = c.apiKeys;
      iceServers = c.iceServers;
      webhook = c.webhook;
      database = c.database;
      devSignIn = c.devSignIn;
      oidc = c.oidc;
      publicUrl = c.publicUrl;
      smtp = c.smtp;
      iceTcp = c.iceTcp;
      tls = c.tls;
      turn = c.turn;
      cluster = c.cluster;
    }

    ServerConfig build() {
      return new ServerConfig(
          bindAddress,
          httpPort,
          udpPort,
          announcedAddresses,
          includeLoopbackCandidates,
          whipToken,
          mediaWorkers,
          apiKeys,
          iceServers,
          webhook,
          database,
          devSignIn,
          oidc,
          publicUrl,
          smtp,
          iceTcp,
          tls,
          turn,
          cluster);
    }
  }

  /** An absolute http(s) URL without query or fragment: links are built by appending to it. */
  private static void checkPublicUrl(URI url) {
    if (!url.isAbsolute()
        || !("https".equals(url.getScheme()) || "http".equals(url.getScheme()))
        || url.getHost() == null
        || url.getRawQuery() != null
        || url.getRawFragment() != null
        || url.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "public URL: an http(s) URL without user, query or fragment: " + url);
    }
  }

  /**
   * An H2 database in this JVM's memory, its own (a unique name), gone when the server closes: for
   * tests and tools that must not share or leave files.
   */
  public static DatabaseConfig inMemoryDatabase() {
    return new DatabaseConfig(
        "jdbc:h2:mem:visio-"
            + java.util.UUID.randomUUID()
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
        "meet",
        "",
        null,
        4);
  }

  /** A configuration without ICE servers or webhooks. */
  public ServerConfig(
      String bindAddress,
      int httpPort,
      int udpPort,
      List<InetAddress> announcedAddresses,
      boolean includeLoopbackCandidates,
      Optional<String> whipToken,
      int mediaWorkers,
      ApiKeys apiKeys) {
    this(
        bindAddress,
        httpPort,
        udpPort,
        announcedAddresses,
        includeLoopbackCandidates,
        whipToken,
        mediaWorkers,
        apiKeys,
        List.of(),
        Webhook.none());
  }

  /** A configuration without API keys (no LiveKit signalling). */
  public ServerConfig(
      String bindAddress,
      int httpPort,
      int udpPort,
      List<InetAddress> announcedAddresses,
      boolean includeLoopbackCandidates,
      Optional<String> whipToken,
      int mediaWorkers) {
    this(
        bindAddress,
        httpPort,
        udpPort,
        announcedAddresses,
        includeLoopbackCandidates,
        whipToken,
        mediaWorkers,
        ApiKeys.of(java.util.Map.of()));
  }

  /** A configuration with {@link #defaultMediaWorkers()} media workers. */
  public ServerConfig(
      String bindAddress,
      int httpPort,
      int udpPort,
      List<InetAddress> announcedAddresses,
      boolean includeLoopbackCandidates,
      Optional<String> whipToken) {
    this(
        bindAddress,
        httpPort,
        udpPort,
        announcedAddresses,
        includeLoopbackCandidates,
        whipToken,
        defaultMediaWorkers());
  }

  public static ServerConfig defaults() {
    return new ServerConfig("0.0.0.0", 7880, 7882, List.of(), true, Optional.empty())
        .withIceTcp(IceTcp.on(IceTcp.DEFAULT_PORT))
        .withTurn(Turn.on(Turn.DEFAULT_PORT));
  }

  /** One media worker per processor the JVM may use. */
  public static int defaultMediaWorkers() {
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  @Override
  public String toString() {
    return ("ServerConfig[bind=%s, http=%d, udp=%d, announced=%s, loopback=%s, whipToken=%s,"
            + " mediaWorkers=%d, apiKeys=%s, iceServers=%s, webhooks=%s, database=%s,"
            + " devSignIn=%s, oidc=%s, publicUrl=%s, smtp=%s, iceTcp=%s, tls=%s, turn=%s,"
            + " cluster=%s]")
        .formatted(
            bindAddress,
            httpPort,
            udpPort,
            announcedAddresses,
            includeLoopbackCandidates,
            whipToken.isPresent() ? "set" : "none",
            mediaWorkers,
            apiKeys,
            iceServers,
            webhook.urls(),
            database,
            devSignIn,
            oidc.map(o -> o.issuer().toString()).orElse("none"),
            publicUrl.map(URI::toString).orElse("none"),
            smtp.map(SmtpConfig::toString).orElse("none"),
            iceTcp,
            tls.map(Tls::toString).orElse("off"),
            turn,
            cluster.map(Object::toString).orElse("off"));
  }
}
