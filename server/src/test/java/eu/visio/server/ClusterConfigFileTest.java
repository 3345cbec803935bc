package eu.visio.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.visio.signal.cluster.ClusterConfig;
import eu.visio.signal.cluster.NodeCapacity;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code cluster} section, {@code VISIO_CLUSTER_SECRET} and {@code VISIO_REDIS_PASSWORD}: off
 * when absent, Redis standalone or behind Sentinel, the node's defaults (random id, its HTTP URL
 * from node_ip or the bind address and the port), the secrets never echoed.
 */
class ClusterConfigFileTest {
  private static final String KEYS = "keys: {prod: \"" + ConfigTest.SECRET + "\"}\n";
  private static final String SECRET = "a-cluster-secret-of-at-least-32-bytes-0123";
  private static final String REDIS_PASSWORD = "redis-password-never-shown";

  private static ServerConfig resolve(String yaml, Map<String, String> env) throws Exception {
    return ConfigTest.resolve(yaml + KEYS, env);
  }

  private static ClusterConfig cluster(String yaml, Map<String, String> env) throws Exception {
    return resolve(yaml, env).cluster().orElseThrow();
  }

  @Test
  void absentMeansASingleNode() throws Exception {
    assertThat(resolve("bind_addresses: [127.0.0.1]\n", Map.of()).cluster()).isEmpty();
    assertThat(TestServers.meetingConfig().cluster()).isEmpty();
  }

  @Test
  void theSectionGivesTheNodesMembership() throws Exception {
    record Case(String yaml, String redisUri, String http, String mediaIp) {}
    String node = "  node_id: n1\n  secret: \"" + SECRET + "\"\n";
    List<Case> table =
        List.of(
            // Standalone Redis; the URL from the bind address and the port.
            new Case(
                "bind_addresses: [127.0.0.1]\nport: 7980\ncluster:\n"
                    + "  redis: {address: \"127.0.0.1:6379\"}\n"
                    + node,
                "redis://127.0.0.1:6379",
                "http://127.0.0.1:7980",
                "127.0.0.1"),
            // node_ip wins over the bind address; TLS to Redis.
            new Case(
                "rtc: {node_ip: 203.0.113.7}\ncluster:\n"
                    + "  redis: {address: \"redis.internal:6380\", use_tls: true}\n"
                    + node,
                "rediss://redis.internal:6380",
                "http://203.0.113.7:7880",
                "203.0.113.7"),
            // Sentinel; an explicit URL (a name the other nodes resolve).
            new Case(
                "rtc: {node_ip: 10.0.0.4}\ncluster:\n"
                    + "  redis: {sentinel_master_name: visio,"
                    + " sentinel_addresses: [\"s1:26379\", \"s2:26379\"]}\n"
                    + "  http_url: \"https://n1.internal:7880\"\n"
                    + node,
                "redis-sentinel://s1:26379,s2:26379?sentinelMasterId=visio",
                "https://n1.internal:7880",
                "10.0.0.4"));
    for (Case c : table) {
      ClusterConfig cfg = cluster(c.yaml(), Map.of());
      assertThat(cfg.redisUri()).as(c.yaml()).isEqualTo(c.redisUri());
      assertThat(cfg.httpUrl()).as(c.yaml()).isEqualTo(URI.create(c.http()));
      assertThat(cfg.mediaIp()).as(c.yaml()).isEqualTo(c.mediaIp());
      assertThat(cfg.nodeId()).isEqualTo("n1");
    }
  }

  @Test
  void everyKeyIsReadAndSecretsStayOutOfLogs() throws Exception {
    ClusterConfig c =
        cluster(
            "bind_addresses: [127.0.0.1]\ncluster:\n"
                + "  redis: {address: \"127.0.0.1:6379\", password: \""
                + REDIS_PASSWORD
                + "\"}\n"
                + "  node_id: paris-1\n"
                + "  region: eu-west\n"
                + "  secret: \""
                + SECRET
                + "\"\n"
                + "  capacity: {participants: 40, packets_per_second: 9000}\n"
                + "  cascade: always\n"
                + "  link_port: 7884\n",
            Map.of());
    assertThat(c.nodeId()).isEqualTo("paris-1");
    assertThat(c.cascade()).isEqualTo(eu.visio.signal.cluster.CascadeMode.ALWAYS);
    assertThat(c.linkPort()).isEqualTo(7884);
    assertThat(c.region()).isEqualTo("eu-west");
    assertThat(c.redisPassword()).isEqualTo(REDIS_PASSWORD);
    assertThat(c.secret())
        .isEqualTo(eu.visio.signal.cluster.ClusterSecret.of(SECRET)); // equal by value
    assertThat(c.capacity()).isEqualTo(new NodeCapacity(40, 9000));
    String logged =
        resolve(
                "bind_addresses: [127.0.0.1]\ncluster:\n"
                    + "  redis: {address: \"127.0.0.1:6379\", password: \""
                    + REDIS_PASSWORD
                    + "\"}\n  secret: \""
                    + SECRET
                    + "\"\n",
                Map.of())
            .toString();
    assertThat(logged).contains("cluster=ClusterConfig[").doesNotContain(SECRET, REDIS_PASSWORD);
  }

  @Test
  void defaultsARandomIdTheDefaultRegionAndTheDefaultCapacity() throws Exception {
    String yaml =
        "bind_addresses: [127.0.0.1]\ncluster:\n  redis: {address: \"127.0.0.1:6379\"}\n"
            + "  secret: \""
            + SECRET
            + "\"\n";
    ClusterConfig a = cluster(yaml, Map.of());
    ClusterConfig b = cluster(yaml, Map.of());
    assertThat(a.nodeId()).matches("node-[0-9a-f]{12}").isNotEqualTo(b.nodeId());
    assertThat(a.region()).isEqualTo("default");
    assertThat(a.capacity()).isEqualTo(NodeCapacity.DEFAULT);
    assertThat(a.redisPassword()).isEmpty();
    assertThat(a.cascade()).isEqualTo(eu.visio.signal.cluster.CascadeMode.REGIONS);
    assertThat(a.linkPort()).as("any free port").isZero();
    assertThat(cluster(yaml + "  cascade: \"off\"\n", Map.of()).cascade())
        .isEqualTo(eu.visio.signal.cluster.CascadeMode.OFF);
    assertThat(cluster(yaml + "  cascade: off\n", Map.of()).cascade())
        .as("a bare off, which YAML reads as false")
        .isEqualTo(eu.visio.signal.cluster.CascadeMode.OFF);
  }

  @Test
  void theEnvironmentsSecretsWin() throws Exception {
    String other = "another-cluster-secret-from-the-environment";
    ClusterConfig c =
        cluster(
            "bind_addresses: [127.0.0.1]\ncluster:\n  redis: {address: \"127.0.0.1:6379\","
                + " password: file-password}\n  secret: \""
                + SECRET
                + "\"\n",
            Map.of("VISIO_CLUSTER_SECRET", other, "VISIO_REDIS_PASSWORD", REDIS_PASSWORD));
    assertThat(c.secret()).isEqualTo(eu.visio.signal.cluster.ClusterSecret.of(other));
    assertThat(c.redisPassword()).isEqualTo(REDIS_PASSWORD);
    // The secret may come from the environment alone.
    assertThat(
            cluster(
                    "bind_addresses: [127.0.0.1]\ncluster: {redis: {address: \"r:6379\"}}\n",
                    Map.of("VISIO_CLUSTER_SECRET", other))
                .secret())
        .isEqualTo(eu.visio.signal.cluster.ClusterSecret.of(other));
  }

  @Test
  void badSettingsAreRefusedWithoutEchoingSecrets() {
    record Case(String yaml, Map<String, String> env, String message) {}
    String secret = "  secret: \"" + SECRET + "\"\n";
    String redis = "  redis: {address: \"127.0.0.1:6379\"}\n";
    String bind = "bind_addresses: [127.0.0.1]\n";
    List<Case> table =
        List.of(
            new Case(bind + "cluster: {secret: \"" + SECRET + "\"}\n", Map.of(), "cluster.redis"),
            new Case(bind + "cluster:\n" + redis, Map.of(), "cluster: no secret"),
            new Case(
                bind + "cluster:\n" + redis + "  secret: short-cluster-secret\n",
                Map.of(),
                "cluster.secret: at least 32 bytes"),
            new Case(
                bind + "cluster:\n" + redis,
                Map.of("VISIO_CLUSTER_SECRET", "short-cluster-secret"),
                "VISIO_CLUSTER_SECRET: at least 32 bytes"),
            new Case(
                bind + "cluster:\n" + redis + secret + "  nodes: 3\n",
                Map.of(),
                "cluster: unknown key 'nodes'"),
            new Case(
                bind + "cluster:\n  redis: {address: \"127.0.0.1:6379\", db: 2}\n" + secret,
                Map.of(),
                "cluster.redis: unknown key 'db'"),
            // Credentials in the address would be logged: refused, and not echoed.
            new Case(
                bind + "cluster:\n  redis: {address: \"short-cluster-secret@r:6379\"}\n" + secret,
                Map.of(),
                "cluster.redis.address: host:port"),
            new Case(
                bind
                    + "cluster:\n  redis: {address: \"r:6379\", sentinel_master_name: m}\n"
                    + secret,
                Map.of(),
                "either address, or sentinel_master_name"),
            new Case(
                bind + "cluster:\n  redis: {sentinel_master_name: m}\n" + secret,
                Map.of(),
                "sentinel_master_name and sentinel_addresses go together"),
            new Case(
                bind + "cluster:\n" + redis + secret + "  node_id: \"a:b\"\n",
                Map.of(),
                "cluster: the node id must be"),
            new Case(
                bind + "cluster:\n" + redis + secret + "  capacity: {participants: 0}\n",
                Map.of(),
                "cluster.capacity.participants: a positive number"),
            new Case(
                bind + "cluster:\n" + redis + secret + "  cascade: sometimes\n",
                Map.of(),
                "cluster.cascade: regions, always or off, not sometimes"),
            new Case(
                bind + "cluster:\n" + redis + secret + "  link_port: 70000\n",
                Map.of(),
                "cluster.link_port: a port from 0 to 65535"),
            new Case(
                bind + "cluster:\n" + redis + secret + "  http_url: \"ftp://n1\"\n",
                Map.of(),
                "cluster.http_url: an http(s) URL"),
            // Bound to every address with no node_ip: which one would the others reach?
            new Case(
                "bind_addresses: [0.0.0.0]\ncluster:\n" + redis + secret,
                Map.of(),
                "cluster.http_url: the other nodes cannot reach 0.0.0.0"));
    for (Case c : table) {
      assertThatThrownBy(() -> resolve(c.yaml(), c.env()))
          .as(c.yaml())
          .hasMessageContaining(c.message())
          .hasMessageNotContaining("short-cluster-secret");
    }
  }

  @Test
  void theThreeExampleNodesAreValidAndDistinct() throws Exception {
    List<ServerConfig> nodes =
        List.of(example("node1.yaml"), example("node2.yaml"), example("node3.yaml"));
    assertThat(nodes).extracting(ServerConfig::httpPort).containsExactly(7880, 7980, 8080);
    assertThat(nodes).extracting(ServerConfig::udpPort).containsExactly(7882, 7982, 8082);
    assertThat(nodes)
        .extracting(n -> n.cluster().orElseThrow().redisUri())
        .containsOnly("redis://127.0.0.1:6379");
    assertThat(nodes)
        .extracting(n -> n.cluster().orElseThrow().httpUrl())
        .containsExactly(
            URI.create("http://127.0.0.1:7880"),
            URI.create("http://127.0.0.1:7980"),
            URI.create("http://127.0.0.1:8080"));
    assertThat(nodes).extracting(n -> n.cluster().orElseThrow().nodeId()).doesNotHaveDuplicates();
    // Every other port of one machine differs too: ICE-TCP, TURN, the database.
    assertThat(nodes).extracting(n -> n.iceTcp().port()).doesNotHaveDuplicates();
    assertThat(nodes).extracting(n -> n.turn().udpPort()).doesNotHaveDuplicates();
    assertThat(nodes)
        .extracting(n -> n.cluster().orElseThrow().linkPort())
        .containsExactly(7884, 7984, 8084);
    assertThat(nodes).extracting(n -> n.database().dataDirectory()).doesNotHaveDuplicates();
  }

  private static ServerConfig example(String name) throws Exception {
    Main main = new Main();
    return main.resolve(ConfigFile.read(Path.of("..", "examples", "cluster", name)), Map.of());
  }
}
