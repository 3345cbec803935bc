package eu.visio.signal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The cluster through Redis Sentinel: Lettuce asks the sentinel for the master. */
@Tag("redis")
class SentinelTest {
  private RedisServer master;
  private RedisServer sentinel;

  @BeforeEach
  void start() throws Exception {
    master = RedisServer.start();
    sentinel = RedisServer.sentinel(master, "visio-master");
  }

  @AfterEach
  void stop() throws Exception {
    sentinel.close();
    master.close();
  }

  @Test
  void nodesRegisterLeaseAndTalkThroughTheMasterTheSentinelNames() throws Exception {
    String uri = "redis-sentinel://127.0.0.1:" + sentinel.port() + "?sentinelMasterId=visio-master";
    BlockingQueue<BusMessage> atB = new LinkedBlockingQueue<>();
    try (Cluster a = Cluster.connect(config(uri, "a"), () -> NodeLoad.IDLE);
        Cluster b = Cluster.connect(config(uri, "b"), () -> NodeLoad.IDLE)) {
      b.bus().register(1, atB::add);
      a.start();
      b.start();
      assertThat(a.registry().liveNodes())
          .extracting(NodeInfo::id)
          .containsExactlyInAnyOrder("a", "b");
      Lease lease = a.leases().tryAcquire("room", "a").orElseThrow();
      assertThat(b.leases().owner("room")).contains(lease);
      a.bus().send("b", 1, "via sentinel".getBytes(StandardCharsets.UTF_8));
      assertThat(atB.poll(5, TimeUnit.SECONDS)).isNotNull();
    }
    // The data is on the master the sentinel named.
    try (ClusterRedis direct = ClusterRedis.connect(config(master.uri(), "probe"))) {
      String value = direct.call("probe", c -> c.get(ClusterKeys.lease("room")));
      assertThat(value).isEqualTo("a:1");
    }
  }

  private static ClusterConfig config(String uri, String nodeId) {
    return ClusterConfig.of(
            uri,
            RedisServer.PASSWORD,
            nodeId,
            "r",
            URI.create("https://" + nodeId + ".example"),
            "192.0.2.1",
            TestNodes.SECRET)
        .withTimings(Duration.ofMillis(200), Duration.ofSeconds(2));
  }
}
