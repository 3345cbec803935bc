package eu.visio.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.server.RtcSignalTest;
import eu.visio.server.ServerConfig;
import eu.visio.server.TestServers;
import eu.visio.server.VisioServer;
import eu.visio.signal.cluster.RedisServer;
import eu.visio.signal.token.TokenIssuer;
import eu.visio.signal.token.VideoGrant;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import livekit.LivekitRtc.Ping;
import livekit.LivekitRtc.SignalRequest;
import livekit.LivekitRtc.SignalResponse;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Redis gone: a new join is refused with the reason before any JoinResponse, while a meeting under
 * way goes on; once Redis is back, joins are placed again.
 */
@Tag("redis")
class ClusterOutageTest {
  private static final TokenIssuer ISSUER =
      new TokenIssuer(TestServers.API_KEY, TestServers.API_SECRET);

  @Test
  void aNewJoinIsRefusedWhileRedisIsDownAndTheMeetingGoesOn() throws Exception {
    try (RedisServer redis = RedisServer.start();
        VisioServer node = VisioServer.start(config(redis))) {
      RtcSignalTest.Client alice = join(node, "alice", "standup");
      assertThat(alice.next().getMessageCase()).isEqualTo(SignalResponse.MessageCase.JOIN);

      redis.kill();
      RtcSignalTest.Client bob = join(node, "bob", "other");
      String closed = bob.closed.get(10, TimeUnit.SECONDS);
      assertThat(closed).isEqualTo("1013 the cluster is unreachable, try again later");
      assertThat(bob.messages).as("no JoinResponse").isEmpty();
      assertThat(node.cluster().refusedJoins()).isEqualTo(1);

      // The meeting under way does not depend on Redis.
      alice.send(SignalRequest.newBuilder().setPingReq(Ping.newBuilder().setTimestamp(7)).build());
      assertThat(
              nextOf(alice, SignalResponse.MessageCase.PONG_RESP)
                  .getPongResp()
                  .getLastPingTimestamp())
          .isEqualTo(7);
      assertThat(node.rooms().participants("standup")).hasSize(1);

      // Back (empty, as without persistence): the heartbeat registers the node again.
      redis.restart();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      SignalResponse first = null;
      while (first == null && System.nanoTime() < deadline) {
        RtcSignalTest.Client carol = join(node, "carol", "later");
        SignalResponse r = carol.messages.poll(2, TimeUnit.SECONDS);
        if (r != null) {
          first = r;
        }
        carol.ws.abort(); // refused (closed already) or joined: done with it either way
        Thread.sleep(100); // not an assertion: the pace of retries while Lettuce reconnects
      }
      assertThat(first).isNotNull();
      assertThat(first.getMessageCase()).isEqualTo(SignalResponse.MessageCase.JOIN);
      alice.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }
  }

  private static SignalResponse nextOf(RtcSignalTest.Client c, SignalResponse.MessageCase kind)
      throws InterruptedException {
    while (true) {
      SignalResponse r = c.next();
      if (r.getMessageCase() == kind) {
        return r;
      }
    }
  }

  private static RtcSignalTest.Client join(VisioServer node, String identity, String room) {
    return RtcSignalTest.connect(
        node.httpPort(),
        ISSUER.issue(
            identity, identity, null, Map.of(), VideoGrant.join(room), Duration.ofMinutes(5)));
  }

  private static ServerConfig config(RedisServer redis) throws Exception {
    return ClusterNodes.nodeConfig(
        redis,
        "solo",
        ClusterNodes.freePort(),
        c -> c.withTimings(Duration.ofMillis(250), Duration.ofSeconds(2)));
  }
}
