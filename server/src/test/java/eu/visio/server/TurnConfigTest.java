package eu.visio.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.visio.server.ServerConfig.Turn;
import eu.visio.server.turn.TurnSecret;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded TURN server from the {@code turn} section (livekit-server's names), the options and
 * {@code VISIO_TURN_SECRET}: on by default, ports 0 meaning none, the secret never echoed and kept
 * in {@code data_dir} when not configured.
 */
class TurnConfigTest {
  private static final String KEYS = "keys: {prod: \"" + ConfigTest.SECRET + "\"}\n";
  private static final String BIND = "bind_addresses: [127.0.0.1]\n";
  private static final String SECRET = "a-turn-secret-of-at-least-32-bytes-0123456789";

  private static Turn turn(String yaml, Map<String, String> env, String... args) throws Exception {
    return ConfigTest.resolve(yaml + KEYS + BIND, env, args).turn();
  }

  @Test
  void theSectionTheOptionsAndTheEnvironmentGiveTheTurnSettings() throws Exception {
    record Case(String yaml, List<String> args, int udp, int tcp, int tls, boolean enabled) {}
    List<Case> table =
        List.of(
            // Default: on, UDP and TCP 3478, TLS on the HTTPS port only.
            new Case("", List.of(), 3478, 3478, -1, true),
            new Case("turn: {udp_port: 443, tcp_port: 3479}\n", List.of(), 443, 3479, -1, true),
            // 0 is none, as livekit-server reads it.
            new Case("turn: {udp_port: 0}\n", List.of(), -1, 3478, -1, true),
            new Case("", List.of("--turn-udp-port", "3480"), 3480, 3478, -1, true),
            new Case(
                "turn: {udp_port: 3481}\n", List.of("--turn-udp-port", "0"), -1, 3478, -1, true),
            new Case("", List.of("--turn-tcp-port", "0"), 3478, -1, -1, true),
            new Case(
                "tls: {self_signed: true}\nturn: {tls_port: 5349}\n",
                List.of(),
                3478,
                3478,
                5349,
                true),
            new Case(
                "tls: {self_signed: true}\n",
                List.of("--turn-tls-port", "5350"),
                3478,
                3478,
                5350,
                true),
            new Case("turn: {enabled: false}\n", List.of(), -1, -1, -1, false),
            new Case("", List.of("--no-turn"), -1, -1, -1, false));
    for (Case c : table) {
      Turn t = turn(c.yaml(), Map.of(), c.args().toArray(String[]::new));
      String as = c.yaml() + c.args();
      assertThat(t.enabled()).as(as).isEqualTo(c.enabled());
      assertThat(t.udpPort()).as(as).isEqualTo(c.udp());
      assertThat(t.tcpPort()).as(as).isEqualTo(c.tcp());
      assertThat(t.tlsPort()).as(as).isEqualTo(c.tls());
    }
    assertThat(turn("", Map.of()).onDemand()).as("relays on demand by default").isTrue();
  }

  @Test
  void everyLivekitAndVisioKeyIsRead() throws Exception {
    Turn t =
        turn(
            "data_dir: /var/lib/visio\n"
                + "turn:\n"
                + "  enabled: true\n"
                + "  domain: turn.visio.example\n"
                + "  tls_port: 443\n"
                + "  udp_port: 3478\n"
                + "  tcp_port: 3478\n"
                + "  external_tls: true\n"
                + "  relay_range_start: 30000\n"
                + "  relay_range_end: 30100\n"
                + "  relay_ip: 10.0.0.7\n"
                + "  realm: visio.example\n"
                + "  secret: \""
                + SECRET
                + "\"\n"
                + "  allocations_per_user: 4\n"
                + "  max_allocations: 500\n"
                + "  on_demand: false\n",
            Map.of());
    assertThat(t.domain()).contains("turn.visio.example");
    assertThat(t.externalTls()).isTrue();
    assertThat(t.tlsPort()).isEqualTo(443);
    assertThat(t.relayRangeStart()).isEqualTo(30000);
    assertThat(t.relayRangeEnd()).isEqualTo(30100);
    assertThat(t.relayIp()).contains(InetAddress.ofLiteral("10.0.0.7"));
    assertThat(t.realm()).contains("visio.example");
    assertThat(t.secret()).contains(SECRET);
    assertThat(t.secretFile()).contains(Path.of("/var/lib/visio", TurnSecret.FILE_NAME));
    assertThat(t.allocationsPerUser()).isEqualTo(4);
    assertThat(t.maxAllocations()).isEqualTo(500);
    assertThat(t.onDemand()).isFalse();
    assertThat(t.toString()).doesNotContain(SECRET);
    assertThat(
            ConfigTest.resolve("turn: {secret: \"" + SECRET + "\"}\n" + KEYS + BIND, Map.of())
                .toString())
        .doesNotContain(SECRET);
  }

  @Test
  void theExampleFilesSectionIsValid() throws Exception {
    ConfigFile.Turn t = ConfigFile.read(Path.of("..", "config.example.yaml")).turn().orElseThrow();
    assertThat(t.enabled()).contains(true);
    assertThat(t.udpPort()).contains(3478);
    assertThat(t.tcpPort()).contains(3478);
    assertThat(t.relayRangeStart()).isEqualTo(30000);
    assertThat(t.relayRangeEnd()).isEqualTo(30100);
    assertThat(t.secret()).isEmpty();
    assertThat(t.onDemand()).contains(true);
  }

  @Test
  void theEnvironmentsSecretWinsAndNoneMeansTheStoredOne() throws Exception {
    String other = "another-turn-secret-from-the-environment-0123";
    assertThat(
            turn("turn: {secret: \"" + SECRET + "\"}\n", Map.of("VISIO_TURN_SECRET", other))
                .secret())
        .contains(other);
    Turn stored = turn("", Map.of(), "--data-dir", "/srv/visio");
    assertThat(stored.secret()).isEmpty();
    assertThat(stored.secretFile()).contains(Path.of("/srv/visio", TurnSecret.FILE_NAME));
  }

  @Test
  void badSettingsAreRefusedWithoutEchoingTheSecret() {
    record Case(String yaml, List<String> args, String message) {}
    List<Case> table =
        List.of(
            new Case("turn: {secret: short-secret-value}\n", List.of(), "turn.secret: at least 32"),
            new Case("turn: {relay_range_start: 30000}\n", List.of(), "relay_range_start/end"),
            new Case(
                "turn: {relay_range_start: 30100, relay_range_end: 30000}\n",
                List.of(),
                "relay_range_start/end"),
            new Case("turn: {cert_file: /x.pem}\n", List.of(), "turn: unknown key 'cert_file'"),
            new Case("turn: {relay_ip: turn.example}\n", List.of(), "turn.relay_ip: not an IP"),
            new Case("turn: {external_tls: true}\n", List.of(), "turn.external_tls: needs"),
            // TLS of its own needs the certificate of the tls section.
            new Case("turn: {tls_port: 5349}\n", List.of(), "turn.tls_port"),
            new Case(
                "",
                List.of("--turn-udp-port", "0", "--turn-tcp-port", "0"),
                "turn: enabled without any listener"));
    for (Case c : table) {
      assertThatThrownBy(
              () ->
                  ConfigTest.resolve(
                      c.yaml() + KEYS + BIND, Map.of(), c.args().toArray(String[]::new)))
          .as(c.yaml() + c.args())
          .hasMessageContaining(c.message())
          .hasMessageNotContaining("short-secret-value");
    }
  }

  @Test
  void aGeneratedSecretIsMadeOnceOwnerOnlyAndKept(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("data").resolve(TurnSecret.FILE_NAME);
    String first = TurnSecret.loadOrCreate(file);
    assertThat(first.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
        .isGreaterThanOrEqualTo(Turn.MIN_SECRET_BYTES);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    // A restart reads the same secret: credentials handed out before still verify.
    assertThat(TurnSecret.loadOrCreate(file)).isEqualTo(first);
    assertThat(TurnSecret.random()).isNotEqualTo(first);
    Files.writeString(file, "too-short\n");
    assertThatThrownBy(() -> TurnSecret.loadOrCreate(file))
        .hasMessageContaining("shorter than 32 bytes")
        .hasMessageNotContaining("too-short");
  }

  @Test
  void theProgrammaticDefaultIsOffSoTestsNeverClashOn3478() {
    assertThat(TestServers.meetingConfig().turn().enabled()).isFalse();
    assertThat(ServerConfig.defaults().turn()).isEqualTo(Turn.on(Turn.DEFAULT_PORT));
    assertThat(Optional.of(Turn.off().toString())).contains("Turn[off]");
  }
}
