package eu.visio.media.turn;

import eu.visio.media.net.UdpMediaPort;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of an embedded {@link TurnServer}. Build with {@link #builder}; the defaults are RFC
 * 8656's lifetimes (§3.2 allocation 600 s, at most 3600 s; §9 permission 300 s; §12 channel 600 s)
 * and limits sized for a meeting server, not for a public relay.
 *
 * @param realm REALM sent in challenges (RFC 8489 §14.9)
 * @param sharedSecret the TURN REST secret that signs usernames ({@link TurnCredentials})
 * @param udpListen where clients reach the server over UDP, or null for none (default port 3478)
 * @param tcpListen where clients reach the server over TCP, or null for none
 * @param relayAddress the address relay sockets bind to and XOR-RELAYED-ADDRESS names
 * @param relayPortMin first relay port, or 0 with {@code relayPortMax} 0 for ephemeral ports
 * @param relayPortMax last relay port (inclusive)
 * @param policy the peers a relay may reach; anything else is refused (403)
 * @param maxPayload largest DATA, ChannelData or relayed datagram payload accepted, in bytes
 * @param requestsPerSecond sustained STUN requests per source IP (token bucket)
 * @param requestBurst bucket size for requests
 * @param allocationsPerSecond sustained Allocate requests per source IP
 * @param allocationBurst bucket size for Allocate requests
 * @param maxTcpPerSource TCP connections open at once from one source IP
 * @param stallTimeout how long a TCP connection may hold a partial frame, or stay open without an
 *     allocation
 * @param io epoll or NIO sockets
 * @param rfc5766Channels accept channel numbers up to 0x7FFE as RFC 5766 did, not only RFC 8656's
 *     0x4000-0x4FFF (§12): some older clients, coturn's own test client among them, draw from the
 *     wider range; browsers count up from 0x4000
 */
public record TurnConfig(
    String realm,
    String sharedSecret,
    InetSocketAddress udpListen,
    InetSocketAddress tcpListen,
    InetAddress relayAddress,
    int relayPortMin,
    int relayPortMax,
    RelayPolicy policy,
    String software,
    Duration defaultLifetime,
    Duration maxLifetime,
    Duration permissionLifetime,
    Duration channelLifetime,
    int maxAllocationsPerUser,
    int maxAllocations,
    int maxPayload,
    double requestsPerSecond,
    int requestBurst,
    double allocationsPerSecond,
    int allocationBurst,
    int maxTcpPerSource,
    Duration stallTimeout,
    UdpMediaPort.Io io,
    boolean rfc5766Channels) {

  /** The IANA port for TURN over UDP and TCP (RFC 8656 §3.1). */
  public static final int DEFAULT_PORT = 3478;

  public TurnConfig {
    Objects.requireNonNull(realm, "realm");
    Objects.requireNonNull(relayAddress, "relayAddress");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(io, "io");
    if (sharedSecret == null || sharedSecret.isEmpty()) {
      throw new IllegalArgumentException("a TURN shared secret is required");
    }
    if (relayPortMin < 0 || relayPortMax > 0xFFFF || relayPortMin > relayPortMax) {
      throw new IllegalArgumentException("bad relay port range");
    }
    if ((relayPortMin == 0) != (relayPortMax == 0)) {
      throw new IllegalArgumentException("relay port range: both bounds or neither");
    }
    if (maxPayload < 1 || maxPayload > 0xFFFF - 64) {
      throw new IllegalArgumentException("maxPayload out of range: " + maxPayload);
    }
    if (defaultLifetime.compareTo(maxLifetime) > 0) {
      throw new IllegalArgumentException("default lifetime above the maximum");
    }
  }

  /** Starts a builder with the defaults; the realm, secret, relay address and policy are needed. */
  public static Builder builder(
      String realm, String sharedSecret, InetAddress relayAddress, RelayPolicy policy) {
    return new Builder(realm, sharedSecret, relayAddress, policy);
  }

  /** The highest channel number ChannelBind accepts. */
  int maxChannel() {
    return rfc5766Channels ? 0x7FFE : 0x4FFF;
  }

  /** Largest STUN message or ChannelData accepted from a client: the payload plus headers. */
  int maxMessage() {
    return maxPayload + 64;
  }

  /** The secret stays out of logs. */
  @Override
  public String toString() {
    return "TurnConfig{realm="
        + realm
        + ", udp="
        + udpListen
        + ", tcp="
        + tcpListen
        + ", relay="
        + relayAddress
        + " "
        + relayPortMin
        + "-"
        + relayPortMax
        + "}";
  }

  /** Mutable builder for {@link TurnConfig}. */
  public static final class Builder {
    private final String realm;
    private final String sharedSecret;
    private final InetAddress relayAddress;
    private final RelayPolicy policy;
    private InetSocketAddress udpListen = new InetSocketAddress(DEFAULT_PORT);
    private InetSocketAddress tcpListen = new InetSocketAddress(DEFAULT_PORT);
    private int relayPortMin;
    private int relayPortMax;
    private String software = "visio";
    private Duration defaultLifetime = Duration.ofSeconds(600);
    private Duration maxLifetime = Duration.ofSeconds(3600);
    private Duration permissionLifetime = Duration.ofSeconds(300);
    private Duration channelLifetime = Duration.ofSeconds(600);
    private int maxAllocationsPerUser = 10;
    private int maxAllocations = 10_000;
    private int maxPayload = UdpMediaPort.MAX_DATAGRAM;
    private double requestsPerSecond = 50;
    private int requestBurst = 200;
    private double allocationsPerSecond = 2;
    private int allocationBurst = 20;
    private int maxTcpPerSource = 32;
    private Duration stallTimeout = Duration.ofSeconds(10);
    private UdpMediaPort.Io io = UdpMediaPort.Io.configured();
    private boolean rfc5766Channels;

    private Builder(String realm, String secret, InetAddress relayAddress, RelayPolicy policy) {
      this.realm = realm;
      this.sharedSecret = secret;
      this.relayAddress = relayAddress;
      this.policy = policy;
    }

    /** UDP and TCP listen addresses; null disables one. */
    public Builder listen(InetSocketAddress udp, InetSocketAddress tcp) {
      this.udpListen = udp;
      this.tcpListen = tcp;
      return this;
    }

    public Builder relayPorts(int min, int max) {
      this.relayPortMin = min;
      this.relayPortMax = max;
      return this;
    }

    public Builder software(String software) {
      this.software = software;
      return this;
    }

    public Builder lifetimes(Duration defaultLifetime, Duration maxLifetime) {
      this.defaultLifetime = defaultLifetime;
      this.maxLifetime = maxLifetime;
      return this;
    }

    public Builder permissionLifetimes(Duration permission, Duration channel) {
      this.permissionLifetime = permission;
      this.channelLifetime = channel;
      return this;
    }

    public Builder allocationQuotas(int perUser, int total) {
      this.maxAllocationsPerUser = perUser;
      this.maxAllocations = total;
      return this;
    }

    public Builder maxPayload(int bytes) {
      this.maxPayload = bytes;
      return this;
    }

    public Builder requestRate(double perSecond, int burst) {
      this.requestsPerSecond = perSecond;
      this.requestBurst = burst;
      return this;
    }

    public Builder allocationRate(double perSecond, int burst) {
      this.allocationsPerSecond = perSecond;
      this.allocationBurst = burst;
      return this;
    }

    public Builder tcpLimits(int maxPerSource, Duration stallTimeout) {
      this.maxTcpPerSource = maxPerSource;
      this.stallTimeout = stallTimeout;
      return this;
    }

    public Builder io(UdpMediaPort.Io io) {
      this.io = io;
      return this;
    }

    public Builder rfc5766Channels(boolean accept) {
      this.rfc5766Channels = accept;
      return this;
    }

    public TurnConfig build() {
      return new TurnConfig(
          realm,
          sharedSecret,
          udpListen,
          tcpListen,
          relayAddress,
          relayPortMin,
          relayPortMax,
          policy,
          software,
          defaultLifetime,
          maxLifetime,
          permissionLifetime,
          channelLifetime,
          maxAllocationsPerUser,
          maxAllocations,
          maxPayload,
          requestsPerSecond,
          requestBurst,
          allocationsPerSecond,
          allocationBurst,
          maxTcpPerSource,
          stallTimeout,
          io,
          rfc5766Channels);
    }
  }
}
