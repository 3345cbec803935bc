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
    Optional<Tls> tls) {

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
    return with(database, on, oidc, publicUrl, smtp);
  }

  /** The same configuration signing people in with {@code provider}. */
  public ServerConfig withOidc(eu.visio.meet.identity.OidcConfig provider) {
    return with(database, devSignIn, Optional.of(provider), publicUrl, smtp);
  }

  /** The same configuration reached by people at {@code url}. */
  public ServerConfig withPublicUrl(URI url) {
    return with(database, devSignIn, oidc, Optional.of(url), smtp);
  }

  /**
   * The same configuration sending invitations through {@code server} (set the public URL first).
   */
  public ServerConfig withSmtp(SmtpConfig server) {
    return with(database, devSignIn, oidc, publicUrl, Optional.of(server));
  }

  /** The same configuration with another ICE-TCP setting. */
  public ServerConfig withIceTcp(IceTcp tcp) {
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
        tcp,
        tls);
  }

  /** The same configuration with HTTPS as {@code https}. */
  public ServerConfig withTls(Tls https) {
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
        Optional.of(https));
  }

  /** The same configuration on another database. */
  public ServerConfig withDatabase(DatabaseConfig other) {
    return with(other, devSignIn, oidc, publicUrl, smtp);
  }

  /** This configuration with the meeting service's settings replaced. */
  private ServerConfig with(
      DatabaseConfig db,
      boolean dev,
      Optional<eu.visio.meet.identity.OidcConfig> provider,
      Optional<URI> url,
      Optional<SmtpConfig> mail) {
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
        db,
        dev,
        provider,
        url,
        mail,
        iceTcp,
        tls);
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
        .withIceTcp(IceTcp.on(IceTcp.DEFAULT_PORT));
  }

  /** One media worker per processor the JVM may use. */
  public static int defaultMediaWorkers() {
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  @Override
  public String toString() {
    return ("ServerConfig[bind=%s, http=%d, udp=%d, announced=%s, loopback=%s, whipToken=%s,"
            + " mediaWorkers=%d, apiKeys=%s, iceServers=%s, webhooks=%s, database=%s,"
            + " devSignIn=%s, oidc=%s, publicUrl=%s, smtp=%s, iceTcp=%s, tls=%s]")
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
            tls.map(Tls::toString).orElse("off"));
  }
}
