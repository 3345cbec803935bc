package eu.visio.signal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisURI;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClusterConfigTest {
  private static final ClusterSecret SECRET = ClusterSecret.of("0123456789abcdef0123456789abcdef");

  private static ClusterConfig config(String uri, String nodeId) {
    return ClusterConfig.of(
        uri,
        "hunter2-redis-password",
        nodeId,
        "eu-west",
        URI.create("https://a.example"),
        "192.0.2.1",
        SECRET);
  }

  @Test
  void defaultsAreOneSecondHeartbeatAndFiveSecondTtl() {
    ClusterConfig c = config("redis://127.0.0.1:6379", "node-1");
    assertThat(c.heartbeat()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.nodeTtl()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.capacity()).isEqualTo(NodeCapacity.DEFAULT);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "http://127.0.0.1:6379            | node-1   | Redis URI must be",
        "redis://user:pw@127.0.0.1:6379   | node-1   | without credentials",
        "redis-sentinel://10.0.0.1:26379  | node-1   | sentinelMasterId",
        "redis://127.0.0.1:6379           | node:1   | node id must be",
        "redis://127.0.0.1:6379           | ''       | node id must be",
      })
  void refusesWhatWouldBreakKeysOrLeakSecrets(String uri, String nodeId, String message) {
    assertThatThrownBy(() -> config(uri, nodeId))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message)
        .hasMessageNotContaining("pw@");
  }

  @Test
  void refusesATtlUnderTwoHeartbeats() {
    assertThatThrownBy(
            () ->
                config("redis://127.0.0.1:6379", "n")
                    .withTimings(Duration.ofSeconds(1), Duration.ofMillis(1999)))
        .hasMessageContaining("at least twice the heartbeat");
  }

  @Test
  void refusesASecretUnder32Bytes() {
    assertThatThrownBy(() -> ClusterSecret.of("0123456789abcdef0123456789abcde"))
        .hasMessageContaining("at least 32 bytes, not 31");
  }

  @Test
  void toStringShowsNeitherThePasswordNorTheSecret() {
    String shown = config("redis://127.0.0.1:6379", "node-1").toString();
    assertThat(shown)
        .doesNotContain("hunter2")
        .doesNotContain("0123456789abcdef")
        .contains("redisPassword=redacted")
        .contains("node-1");
  }

  @Test
  void sentinelUriNamesTheSentinelsAndMasterAndCarriesThePassword() {
    RedisURI uri =
        ClusterRedis.redisUri(
            config("redis-sentinel://10.0.0.1:26379,10.0.0.2:26380?sentinelMasterId=visio", "n"));
    assertThat(uri.getSentinelMasterId()).isEqualTo("visio");
    assertThat(uri.getSentinels())
        .extracting(RedisURI::getHost, RedisURI::getPort)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("10.0.0.1", 26379),
            org.assertj.core.groups.Tuple.tuple("10.0.0.2", 26380));
    char[] password = uri.getCredentialsProvider().resolveCredentials().block().getPassword();
    assertThat(new String(password)).isEqualTo("hunter2-redis-password");
  }
}
