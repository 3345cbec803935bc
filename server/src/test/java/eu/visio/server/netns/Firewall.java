package eu.visio.server.netns;

/**
 * What the client's network lets through to the server, as nftables rules loaded inside the client
 * namespace on its end of the lab link: an output chain for what the client sends, an input chain
 * for what reaches it. Packets are dropped, not refused, as the firewalls of the networks this
 * imitates do: a blocked connection attempt times out rather than failing at once.
 *
 * <p>Whatever the rules, new TCP connections from the server side to {@link #CONTROL_PORTS} are let
 * in: that is the test harness reaching the chromedriver it runs in the namespace, not the meeting.
 */
sealed interface Firewall {
  /** Inbound TCP ports kept open for the harness (chromedriver). */
  int CONTROL_PORT_MIN = 9500;

  int CONTROL_PORT_MAX = 9599;

  String CONTROL_PORTS = CONTROL_PORT_MIN + "-" + CONTROL_PORT_MAX;

  /** The nftables table every rule set lives in (replaced whole when the rules change). */
  String TABLE = "visio_lab";

  /** Nothing blocked. */
  record Open() implements Firewall {
    @Override
    public String chains(String link) {
      return "";
    }
  }

  /** Every UDP datagram over the link dropped, both ways; TCP and the rest pass. */
  record NoUdp() implements Firewall {
    @Override
    public String chains(String link) {
      return """
          chain output {
            type filter hook output priority 0; policy accept;
            oifname "%1$s" meta l4proto udp drop
          }
          chain input {
            type filter hook input priority 0; policy accept;
            iifname "%1$s" meta l4proto udp drop
          }
          """
          .formatted(link);
    }
  }

  /**
   * Only TCP connections the client opens to {@code port} (and their replies): no UDP, no other TCP
   * port, no ICMP. The "only TCP 443 gets out" corporate network.
   */
  record OnlyTcp(int port) implements Firewall {
    public OnlyTcp {
      checkPort(port);
    }

    @Override
    public String chains(String link) {
      return """
          chain output {
            type filter hook output priority 0; policy accept;
            oifname "%1$s" ct state established,related accept
            oifname "%1$s" tcp dport %2$d accept
            oifname "%1$s" drop
          }
          chain input {
            type filter hook input priority 0; policy accept;
            iifname "%1$s" ct state established,related accept
            iifname "%1$s" tcp dport %3$s accept
            iifname "%1$s" drop
          }
          """
          .formatted(link, port, CONTROL_PORTS);
    }
  }

  /**
   * Only TLS to {@code port}: what a TLS-inspecting proxy or firewall lets out. As {@link OnlyTcp},
   * and besides, a connection's first bytes of data must open a TLS record of type handshake (0x16,
   * the ClientHello); one that starts otherwise (RFC 4571-framed STUN, for ICE-TCP) is dropped, and
   * so is the rest of it. The verdict is kept in the connection's mark: segments without data (the
   * TCP handshake, bare ACKs) pass until the first data decides.
   */
  record OnlyTlsTo(int port) implements Firewall {
    public OnlyTlsTo {
      checkPort(port);
    }

    @Override
    public String chains(String link) {
      // @ih is the transport's payload: on a segment without data it reads nothing, and the rule
      // does not match.
      return """
          chain output {
            type filter hook output priority 0; policy accept;
            oifname "%1$s" tcp sport %3$s ct state established accept
            oifname "%1$s" ct mark 1 accept
            oifname "%1$s" tcp dport %2$d ct mark 0 @ih,0,8 0x16 ct mark set 1 accept
            oifname "%1$s" tcp dport %2$d ct mark 0 @ih,0,8 != 0x16 ct mark set 2 drop
            oifname "%1$s" tcp dport %2$d ct mark 0 accept
            oifname "%1$s" drop
          }
          chain input {
            type filter hook input priority 0; policy accept;
            iifname "%1$s" ct state established,related ct mark != 2 accept
            iifname "%1$s" tcp dport %3$s accept
            iifname "%1$s" drop
          }
          """
          .formatted(link, port, CONTROL_PORTS);
    }
  }

  private static void checkPort(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("TCP port: 1 to 65535: " + port);
    }
  }

  static Firewall open() {
    return new Open();
  }

  static Firewall noUdp() {
    return new NoUdp();
  }

  static Firewall onlyTcp(int port) {
    return new OnlyTcp(port);
  }

  static Firewall onlyTlsTo(int port) {
    return new OnlyTlsTo(port);
  }

  /** The chains of {@link #TABLE} for the client's end of the link, named {@code link}. */
  String chains(String link);

  /**
   * One nft transaction replacing whatever rules were loaded with these: the table is declared (so
   * that deleting it cannot fail when absent), deleted, and declared again with the chains.
   */
  default String script(String link) {
    return "table inet %1$s\ndelete table inet %1$s\ntable inet %1$s {\n%2$s}\n"
        .formatted(TABLE, chains(link));
  }
}
