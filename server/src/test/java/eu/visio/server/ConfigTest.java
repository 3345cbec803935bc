package eu.visio.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The configuration file, the environment and the options, and which wins. */
class ConfigTest {
  static final String SECRET = "a-secret-of-at-least-32-bytes-for-prod";

  static ServerConfig resolve(String yaml, Map<String, String> env, String... args)
      throws Exception {
    Main main = new Main();
    new CommandLine(main).parseArgs(args);
    return main.resolve(ConfigFile.parse(yaml, null), env);
  }

  @Test
  void theExampleFileIsValid() throws Exception {
    ConfigFile f = ConfigFile.read(Path.of("..", "config.example.yaml"));
    assertThat(f.port()).contains(7880);
    assertThat(f.nodeIp()).contains("203.0.113.7");
    assertThat(f.keys()).containsOnlyKeys("prodkey");
    assertThat(f.iceServers())
        .extracting(ServerConfig.IceServer::urls)
        .containsExactly(
            List.of(
                "turn:turn.example.org:443".replace("turn:", "turns:").concat("?transport=tcp")),
            List.of("stun:stun.example.org:3478"));
    assertThat(f.webhook().orElseThrow().urls())
        .containsExactly(URI.create("https://meet.example.org/api/v1/livekit/webhook"));
    assertThat(f.logLevel()).contains("info");
  }

  @Test
  void aFullFileResolves() throws Exception {
    ServerConfig c =
        resolve(
            """
            port: 8080
            bind_addresses: ["127.0.0.1"]
            rtc: {udp_port: 9000, node_ip: 192.0.2.9, media_workers: 3, loopback_candidates: false}
            keys: {prod: "%s"}
            turn_servers: [{host: turn.example.org, port: 3478, protocol: udp, username: u, credential: p}]
            webhook: {urls: ["http://127.0.0.1:9/hook"]}
            """
                .formatted(SECRET),
            Map.of());
    assertThat(c.httpPort()).isEqualTo(8080);
    assertThat(c.udpPort()).isEqualTo(9000);
    assertThat(c.bindAddress()).isEqualTo("127.0.0.1");
    assertThat(c.announcedAddresses())
        .extracting(a -> a.getHostAddress())
        .containsExactly("192.0.2.9");
    assertThat(c.mediaWorkers()).isEqualTo(3);
    assertThat(c.includeLoopbackCandidates()).isFalse();
    assertThat(c.apiKeys().keyNames()).containsExactly("prod");
    assertThat(c.iceServers().getFirst().urls())
        .containsExactly("turn:turn.example.org:3478?transport=udp");
    assertThat(c.iceServers().getFirst().credential()).isEqualTo("p");
    assertThat(c.webhook().apiKey()).as("the only key signs webhooks").isEqualTo("prod");
    assertThat(c.toString())
        .doesNotContain(SECRET)
        .doesNotContain("credential")
        .doesNotContain("=p,");
  }

  /** Defaults, then the file, then the environment, then the options. */
  @Test
  void optionsBeatTheEnvironmentWhichBeatsTheFile() throws Exception {
    String yaml = "port: 8080\nrtc: {node_ip: 192.0.2.1}\nkeys: {filekey: \"" + SECRET + "\"}\n";
    ServerConfig fileOnly = resolve(yaml, Map.of());
    assertThat(fileOnly.apiKeys().keyNames()).containsExactly("filekey");
    assertThat(fileOnly.udpPort()).as("default").isEqualTo(7882);
    ServerConfig env =
        resolve(yaml, Map.of("VISIO_KEYS", "envkey: " + SECRET, "VISIO_NODE_IP", "192.0.2.2"));
    assertThat(env.apiKeys().keyNames()).containsExactly("envkey");
    assertThat(env.announcedAddresses().getFirst().getHostAddress()).isEqualTo("192.0.2.2");
    assertThat(resolve(yaml, Map.of("LIVEKIT_KEYS", "lk: " + SECRET)).apiKeys().keyNames())
        .containsExactly("lk");
    ServerConfig cli =
        resolve(
            yaml,
            Map.of("VISIO_NODE_IP", "192.0.2.2"),
            "--http-port",
            "9090",
            "--announce",
            "192.0.2.3");
    assertThat(cli.httpPort()).isEqualTo(9090);
    assertThat(cli.announcedAddresses().getFirst().getHostAddress()).isEqualTo("192.0.2.3");
  }

  /** Like livekit-server --dev: devkey/secret without configured keys, on loopback only. */
  @Test
  void developmentKeysOnlyOnLoopbackUnlessAskedFor() throws Exception {
    ServerConfig local = resolve("", Map.of());
    assertThat(local.apiKeys().isDevelopment()).isTrue();
    assertThat(local.bindAddress()).as("loopback by default without keys").isEqualTo("127.0.0.1");
    assertThatThrownBy(() -> resolve("", Map.of(), "--bind", "0.0.0.0"))
        .isInstanceOf(Main.BadConfig.class)
        .hasMessageContaining("development keys")
        .hasMessageContaining("--dev");
    assertThat(resolve("", Map.of(), "--bind", "0.0.0.0", "--dev").apiKeys().isDevelopment())
        .isTrue();
    assertThat(resolve("development: true\nbind_addresses: [0.0.0.0]", Map.of()).bindAddress())
        .isEqualTo("0.0.0.0");
    assertThat(resolve("keys: {k: \"" + SECRET + "\"}", Map.of()).bindAddress())
        .as("real keys: all interfaces")
        .isEqualTo("0.0.0.0");
  }

  /** Every mistake names the key; a short secret names the key, never the secret. */
  @Test
  void badFilesAreRefusedWithTheKeyNamed() {
    record Bad(String yaml, String message) {}
    List<Bad> table =
        List.of(
            new Bad("prot: 7880", "unknown key 'prot'"),
            new Bad("rtc: {udp_prot: 1}", "rtc: unknown key 'udp_prot'"),
            new Bad("port: 70000", "port: a port from 0 to 65535"),
            new Bad("port: seven", "port: a port"),
            new Bad("rtc: {use_external_ip: true}", "rtc.use_external_ip"),
            new Bad("rtc: {media_workers: 0}", "rtc.media_workers: a positive number"),
            new Bad("rtc: []", "rtc: expected a mapping"),
            new Bad("keys: [a, b]", "keys: expected 'key: secret' pairs"),
            new Bad("keys: {k: 12}", "the secret of 'k' must be a string"),
            new Bad("turn_servers: [{host: t, protocol: sctp}]", "turn_servers[].protocol"),
            new Bad("turn_servers: [{port: 1}]", "turn_servers[].host"),
            new Bad("rtc: {ice_servers: [{urls: [\"http://x\"]}]}", "not a stun: or turn: URL"),
            new Bad("webhook: {urls: [\"file:///etc/passwd\"]}", "webhook.urls: http or https"),
            new Bad("logging: {level: loud}", "logging.level"),
            new Bad("development: yes please", "development: true or false"),
            new Bad("bind_addresses: [a, b]", "one address"),
            new Bad("database: {url: \"jdbc:mysql://db/x\"}", "database.url: a jdbc:postgresql://"),
            new Bad("database: {user: visio}", "database.url"),
            new Bad(
                "oidc: {issuer: \"ftp://idp\", client_id: v, redirect_uri: \"https://v/cb\"}",
                "oidc.issuer: an http(s) URL"),
            new Bad(
                "oidc: {issuer: \"https://idp\", redirect_uri: \"https://v/cb\"}",
                "oidc.client_id"),
            new Bad(
                "oidc: {issuer: \"https://idp\", client_id: v, redirect_uri: \"https://v/cb\", secret: x}",
                "unknown key 'secret'"),
            new Bad("database: {url: \"jdbc:postgresql://db/x\", pass: p}", "unknown key 'pass'"),
            new Bad("port: [", "not valid YAML"));
    for (Bad b : table) {
      assertThatThrownBy(() -> ConfigFile.parse(b.yaml(), null))
          .as(b.yaml())
          .isInstanceOf(ConfigFile.Invalid.class)
          .hasMessageContaining(b.message());
    }
    assertThatThrownBy(() -> resolve("keys: {short: tiny-secret}", Map.of()))
        .isInstanceOf(Main.BadConfig.class)
        .hasMessageContaining("'short'")
        .hasMessageNotContaining("tiny-secret");
    assertThatThrownBy(
            () ->
                resolve(
                    "keys: {k: \""
                        + SECRET
                        + "\"}\nwebhook: {api_key: other, urls: [\"http://h/\"]}",
                    Map.of()))
        .hasMessageContaining("webhook.api_key");
  }

  /** Lists, their elements and missing values are named by their full path, word for word. */
  @Test
  void listElementsAndMissingValuesAreNamedByTheirPath() {
    record Bad(String yaml, String message) {}
    List<Bad> table =
        List.of(
            new Bad("turn_servers: {host: t}", "turn_servers: expected a list"),
            new Bad("turn_servers: [t]", "turn_servers[]: expected a mapping"),
            new Bad(
                "turn_servers: [{host: t, port: 0.5}]",
                "turn_servers[].port: a port from 0 to 65535"),
            new Bad(
                "rtc: {ice_servers: [{url: \"stun:s\"}]}",
                "rtc.ice_servers[]: unknown key 'url' (known: credential, urls, username)"),
            new Bad(
                "rtc: {ice_servers: [{urls: [\"\"]}]}",
                "rtc.ice_servers[].urls: expected a non-empty string"),
            new Bad("webhook: {urls: [\"http://[x\"]}", "webhook.urls: not a URL: http://[x"),
            new Bad("webhook: {urls: https://h}", "webhook.urls: expected a list"),
            new Bad("bind_addresses: a", "bind_addresses: expected a list"),
            new Bad("bind_addresses: [\" \"]", "bind_addresses: expected a non-empty string"),
            new Bad("data_dir: [d]", "data_dir: expected a non-empty string"),
            new Bad(
                "oidc: {client_id: v, redirect_uri: \"https://v/cb\"}",
                "oidc.issuer: expected a non-empty string"),
            new Bad(
                "oidc: {issuer: \"https://idp\", client_id: v, redirect_uri: \"https://v/cb\","
                    + " scopes: [openid, {}]}",
                "oidc.scopes: expected a non-empty string"),
            new Bad("logging: debug", "logging: expected a mapping"),
            new Bad("public_url: \"ftp://v\"", "public_url: an http(s) URL"));
    for (Bad b : table) {
      assertThatThrownBy(() -> ConfigFile.parse(b.yaml(), null))
          .as(b.yaml())
          .isInstanceOf(ConfigFile.Invalid.class)
          .hasMessage(b.message());
    }
  }

  /**
   * The embedded database in ./data unless told otherwise; PostgreSQL from the environment before
   * the file, its password never printed.
   */
  @Test
  void theDatabaseComesFromOptionsTheEnvironmentOrTheFile(@TempDir Path dir) throws Exception {
    var embedded = resolve("", Map.of()).database();
    assertThat(embedded.isEmbedded()).isTrue();
    assertThat(embedded.dataDirectory()).isEqualTo(Path.of("data"));
    assertThat(resolve("data_dir: /var/lib/visio", Map.of()).database().dataDirectory())
        .isEqualTo(Path.of("/var/lib/visio"));
    assertThat(
            resolve("data_dir: /var/lib/visio", Map.of(), "--data-dir", dir.toString())
                .database()
                .dataDirectory())
        .isEqualTo(dir);
    String yaml =
        "database: {url: \"jdbc:postgresql://db.internal:5432/visio\", user: meet, password: s3cr3t}";
    var fromFile = resolve(yaml, Map.of()).database();
    assertThat(fromFile.isEmbedded()).isFalse();
    assertThat(fromFile.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5432/visio");
    assertThat(fromFile.user()).isEqualTo("meet");
    assertThat(fromFile.password()).isEqualTo("s3cr3t");
    var fromEnv =
        resolve(
                yaml,
                Map.of(
                    "VISIO_DATABASE_URL", "jdbc:postgresql://other:5432/v",
                    "VISIO_DATABASE_PASSWORD", "from-env"))
            .database();
    assertThat(fromEnv.jdbcUrl()).isEqualTo("jdbc:postgresql://other:5432/v");
    assertThat(fromEnv.password()).isEqualTo("from-env");
    assertThat(resolve(yaml, Map.of()).toString()).doesNotContain("s3cr3t");
    assertThatThrownBy(() -> resolve("", Map.of("VISIO_DATABASE_URL", "jdbc:h2:mem:x")))
        .isInstanceOf(Main.BadConfig.class)
        .hasMessageContaining("VISIO_DATABASE_URL");
  }

  @Test
  void theSignInProviderIsConfiguredWithItsSecretFromTheEnvironment() throws Exception {
    String yaml =
        "oidc: {issuer: \"https://auth.agentconnect.gouv.fr/api/v2\", client_id: visio,"
            + " redirect_uri: \"https://visio.example/auth/callback\", acr_values: eidas1}";
    assertThatThrownBy(() -> resolve(yaml, Map.of()))
        .isInstanceOf(Main.BadConfig.class)
        .hasMessageContaining("VISIO_OIDC_CLIENT_SECRET");
    ServerConfig c = resolve(yaml, Map.of("VISIO_OIDC_CLIENT_SECRET", "client-s3cret"));
    var oidc = c.oidc().orElseThrow();
    assertThat(oidc.clientId()).isEqualTo("visio");
    assertThat(oidc.clientSecret()).isEqualTo("client-s3cret");
    assertThat(oidc.extraAuthorizeParams()).containsEntry("acr_values", "eidas1");
    assertThat(oidc.scopes()).contains("openid", "email");
    assertThat(c.toString()).doesNotContain("client-s3cret");
    assertThat(resolve("", Map.of()).oidc()).isEmpty();
  }

  @Test
  void keyFileIsReadRelativeToTheConfiguration(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("keys.yaml"), "fromfile: \"" + SECRET + "\"\n");
    Files.writeString(dir.resolve("visio.yaml"), "key_file: keys.yaml\n");
    assertThat(ConfigFile.read(dir.resolve("visio.yaml")).keys()).containsOnlyKeys("fromfile");
  }
}
