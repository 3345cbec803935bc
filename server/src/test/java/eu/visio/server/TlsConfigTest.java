package eu.visio.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.visio.server.ServerConfig.Tls;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** HTTPS from the {@code tls} section and the {@code --tls-*} options. */
class TlsConfigTest {
  private static final String KEYS = "keys: {prod: \"" + ConfigTest.SECRET + "\"}\n";
  private static final Path CERT = Path.of("/etc/visio/fullchain.pem");
  private static final Path KEY = Path.of("/etc/visio/privkey.pem");

  @Test
  void theSectionAndTheOptionsGiveTheTlsSettings() throws Exception {
    record Case(String yaml, List<String> args, Optional<Tls> expected) {}
    String files = "tls: {cert_file: /etc/visio/fullchain.pem, key_file: /etc/visio/privkey.pem}\n";
    List<Case> table =
        List.of(
            new Case("", List.of(), Optional.empty()),
            new Case(files, List.of(), Optional.of(Tls.files(443, CERT, KEY))),
            new Case(
                "tls: {port: 7443, cert_file: /etc/visio/fullchain.pem,"
                    + " key_file: /etc/visio/privkey.pem}\n",
                List.of(),
                Optional.of(Tls.files(7443, CERT, KEY))),
            new Case(files, List.of("--tls-port", "8443"), Optional.of(Tls.files(8443, CERT, KEY))),
            // As --tcp-port: 0 turns it off.
            new Case(files, List.of("--tls-port", "0"), Optional.empty()),
            new Case(
                "",
                List.of("--tls-cert", "/c.pem", "--tls-key", "/k.pem", "--tls-port", "7443"),
                Optional.of(Tls.files(7443, Path.of("/c.pem"), Path.of("/k.pem")))),
            // Self-signed on loopback (the bind below): allowed.
            new Case("tls: {self_signed: true}\n", List.of(), Optional.of(Tls.selfSigned(443))),
            new Case("", List.of("--tls-self-signed"), Optional.of(Tls.selfSigned(443))));
    for (Case c : table) {
      ServerConfig config =
          ConfigTest.resolve(
              c.yaml() + KEYS + "bind_addresses: [127.0.0.1]\n",
              Map.of(),
              c.args().toArray(String[]::new));
      assertThat(config.tls()).as(c.yaml() + c.args()).isEqualTo(c.expected());
    }
  }

  @Test
  void relativeFilesAreRelativeToTheConfigurationFile() throws Exception {
    ConfigFile f =
        ConfigFile.parse("tls: {cert_file: tls/cert.pem, key_file: tls/key.pem}", Path.of("/srv"));
    assertThat(f.tls().orElseThrow().certFile()).contains(Path.of("/srv/tls/cert.pem"));
    assertThat(f.tls().orElseThrow().keyFile()).contains(Path.of("/srv/tls/key.pem"));
  }

  @Test
  void badSectionsAreRefusedWithTheKeyNamed() {
    record Case(String yaml, String message) {}
    List<Case> table =
        List.of(
            new Case("tls: {port: 70000, self_signed: true}", "tls.port: a port from 0 to 65535"),
            new Case("tls: {cert_file: /c.pem}", "tls: cert_file and key_file go together"),
            new Case("tls: {}", "tls: either cert_file and key_file (PEM), or self_signed"),
            new Case(
                "tls: {self_signed: true, cert_file: /c.pem, key_file: /k.pem}",
                "tls: either cert_file and key_file (PEM), or self_signed"),
            new Case("tls: {self_signed: yes please}", "tls.self_signed: true or false"),
            new Case("tls: {certfile: /c.pem}", "tls: unknown key 'certfile'"));
    for (Case c : table) {
      assertThatThrownBy(() -> ConfigFile.parse(c.yaml(), null))
          .as(c.yaml())
          .isInstanceOf(ConfigFile.Invalid.class)
          .hasMessageStartingWith(c.message());
    }
  }

  /** A self-signed certificate is for development: refused on a public address without it. */
  @Test
  void selfSignedIsRefusedOutsideDevelopment() throws Exception {
    String yaml = "tls: {self_signed: true}\nbind_addresses: [0.0.0.0]\n" + KEYS;
    assertThatThrownBy(() -> ConfigTest.resolve(yaml, Map.of()))
        .isInstanceOf(Main.BadConfig.class)
        .hasMessageContaining("tls.self_signed")
        .hasMessageContaining("development: true (or --dev)")
        .hasMessageContaining("loopback");
    assertThatThrownBy(() -> ConfigTest.resolve(KEYS, Map.of(), "--tls-self-signed"))
        .as("the default bind with keys is 0.0.0.0")
        .isInstanceOf(Main.BadConfig.class);

    assertThat(ConfigTest.resolve("development: true\n" + yaml, Map.of()).tls())
        .contains(Tls.selfSigned(443));
    assertThat(ConfigTest.resolve(yaml, Map.of(), "--dev").tls()).contains(Tls.selfSigned(443));
    // Nor can a configuration be built around the rule.
    assertThatThrownBy(
            () ->
                new ServerConfig(
                        "0.0.0.0",
                        0,
                        0,
                        List.of(InetAddress.getLoopbackAddress()),
                        false,
                        Optional.empty(),
                        1)
                    .withTls(Tls.selfSigned(0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("development");
  }

  @Test
  void optionsThatDoNotGoTogetherAreRefused() {
    record Case(List<String> args, String message) {}
    List<Case> table =
        List.of(
            new Case(List.of("--tls-cert", "/c.pem"), "--tls-cert and --tls-key go together"),
            new Case(
                List.of("--tls-cert", "/c.pem", "--tls-key", "/k.pem", "--tls-self-signed"),
                "one or the other"),
            new Case(List.of("--tls-port", "443"), "--tls-port: give --tls-cert and --tls-key"));
    for (Case c : table) {
      assertThatThrownBy(() -> ConfigTest.resolve(KEYS, Map.of(), c.args().toArray(String[]::new)))
          .as(c.args().toString())
          .isInstanceOf(Main.BadConfig.class)
          .hasMessageContaining(c.message());
    }
  }

  /** What is logged of the configuration names the files, nothing of what is in them. */
  @Test
  void theConfigurationPrintsTheCertificatePathOnly() {
    assertThat(Tls.files(443, CERT, KEY).toString())
        .isEqualTo("Tls[port=443, cert /etc/visio/fullchain.pem]");
  }
}
