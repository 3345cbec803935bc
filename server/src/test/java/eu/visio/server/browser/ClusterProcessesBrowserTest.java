package eu.visio.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.server.cluster.NodeProcesses;
import eu.visio.server.cluster.TcpProxy;
import eu.visio.signal.cluster.RedisServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * livekit-client in Chromium against a cluster of three server processes on a real Redis: the
 * participants of one room, each joining through a different node, see, hear and chat with each
 * other; and when the room's home node is killed with SIGKILL mid-call, every participant is back
 * with everyone's video within {@link #FAILOVER_DEADLINE}, in the same room under the same identity
 * (a full rejoin on a surviving node: the dead node's sessions are gone with it).
 *
 * <p>In the failover test each participant connects through a {@link TcpProxy} that prefers its
 * node and skips a dead one: the participant whose signalling node is the dead one needs something
 * in front of the nodes to reach another (in production, the load balancer). The others' signalling
 * is relayed by their node to the room's home; that relay breaks, their node finds the home dead
 * (connection refused) and places the room again at once instead of after the node TTL.
 *
 * <p>Where the failover time goes (2 cores shared by three browsers, three servers and other
 * builds, load 6-12): the room placed again ~0.1 s after the kill; livekit-client's retry after a
 * random delay of up to 0.5 s, its join answered at 0.5-1.3 s; its new connection up 0.1-0.8 s
 * later (the new home's first DTLS handshake is no longer cold: {@code DtlsWarmup}); then the room
 * reported reconnected, at once if the connection was up before the tracks were republished, else 2
 * s after the join (livekit-client's {@code minReconnectWait}); first frames at 1.4-3.3 s. Each
 * page prints its steps and livekit-client's own.
 */
@Tag("browser")
@Tag("redis")
class ClusterProcessesBrowserTest {
  /**
   * The deadline asserted: kill -9 to every participant decoding video again, as the issue asks.
   * The runs here measure 1.4-3.3 s on a machine loaded 6-12 (see the class comment), of which up
   * to 2 s is livekit-client's own fixed wait in a full reconnect.
   */
  static final Duration FAILOVER_DEADLINE = Duration.ofSeconds(5);

  private static final List<String> NAMES = List.of("ann", "bob", "cat");

  /** The lines of livekit-client's debug log that time a full reconnect, step by step. */
  private static final java.util.regex.Pattern CLIENT_STEPS =
      java.util.regex.Pattern.compile(
          "websocket closed|reconnecting in|signal connecting|signal reconnected"
              + "|ICE connection state: connected|connection state: connected"
              + "|localTrackPublished|fully reconnected");

  @TempDir Path dir;
  private RedisServer redis;
  private NodeProcesses nodes;
  private final List<TcpProxy> fronts = new ArrayList<>();
  private final List<LiveKitPage> pages = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    redis = RedisServer.start();
    nodes = NodeProcesses.start(redis, 3, dir);
  }

  @AfterEach
  void stop() throws Exception {
    for (LiveKitPage p : pages) {
      p.close();
    }
    for (TcpProxy f : fronts) {
      f.close();
    }
    if (nodes != null) {
      nodes.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void participantsOnThreeNodeProcessesSeeHearAndChatWithEachOther() throws Exception {
    String room = "processes-room";
    for (int i = 0; i < 3; i++) {
      int port = nodes.nodes().get(i).httpPort();
      LiveKitPage p = new LiveKitPage(port, NAMES.get(i));
      pages.add(p);
      p.connect(port, LiveKitBrowserTest.token(NAMES.get(i), room), options());
    }
    explained(() -> ClusterMeeting.awaitSeeAndHear(pages));
    // One node holds the room; the two others relayed one session each to it.
    assertThat(sum("visio_cluster_rooms_held", "")).isEqualTo(1);
    assertThat(sum("visio_cluster_relayed_sessions_total", "")).isEqualTo(2);
    explained(() -> ClusterMeeting.awaitChat(pages, pages.get(1), "hello from bob"));
  }

  @Test
  void killingTheRoomsHomeBringsEveryoneBackWithVideoWithinTheDeadline() throws Exception {
    String room = "failover-room";
    NodeProcesses.Node home = meetThroughFronts(room);
    Map<String, String> sids = watchForNewSessions();
    long killedAt = System.currentTimeMillis();
    home.kill();
    System.out.println("failover: " + home.id() + " killed at " + java.time.Instant.now());
    Map<String, Long> backMs = awaitBack(killedAt, room, "failover: " + home.id() + " killed");
    assertThat(backMs.values()).allMatch(ms -> ms <= FAILOVER_DEADLINE.toMillis());
    assertSameRoomNewSessions(room, sids);
    // A survivor found the home dead and placed the room again; one survivor holds it now. The
    // participant whose own node died came back through its proxy, which skipped the dead node.
    assertThat(fronts.stream().mapToInt(TcpProxy::refused).sum()).isGreaterThanOrEqualTo(1);
    assertThat(sum("visio_cluster_failover_total", "event=\"home_evicted\""))
        .isGreaterThanOrEqualTo(1);
    assertThat(sum("visio_cluster_failover_total", "event=\"home_replaced\""))
        .isGreaterThanOrEqualTo(1);
    assertThat(sum("visio_cluster_rooms_held", "")).isEqualTo(1);
    explained(() -> ClusterMeeting.awaitChat(pages, pages.get(1), "still here"));
  }

  /**
   * A rolling upgrade's step: the room's home gets SIGTERM. It drains (its participants are told to
   * join again and land on another node: no manual rejoin), then exits cleanly.
   */
  @Test
  void drainingTheRoomsHomeMovesEveryoneToAnotherNodeThenItExits() throws Exception {
    String room = "drain-room";
    NodeProcesses.Node home = meetThroughFronts(room);
    Map<String, String> sids = watchForNewSessions();
    long termAt = System.currentTimeMillis();
    int exit = home.terminate(Duration.ofSeconds(20));
    System.out.println(
        "drain: "
            + home.id()
            + " exited "
            + exit
            + " after "
            + (System.currentTimeMillis() - termAt)
            + " ms");
    // The JVM reports 143 (128 + SIGTERM) once its shutdown hook, the drain, has run.
    assertThat(exit).as("exit status after SIGTERM\n%s", home.logTail()).isEqualTo(143);
    assertThat(home.logTail()).contains("drained:");
    Map<String, Long> backMs = awaitBack(termAt, room, "drain: " + home.id() + " terminated");
    assertThat(backMs.values()).allMatch(ms -> ms <= Duration.ofSeconds(15).toMillis());
    assertSameRoomNewSessions(room, sids);
    assertThat(sum("visio_cluster_rooms_held", "")).isEqualTo(1);
    explained(() -> ClusterMeeting.awaitChat(pages, pages.get(0), "after the upgrade"));
  }

  /**
   * The three participants join {@code room}, each through a {@link TcpProxy} preferring its own
   * node then the next ones, and see and hear each other; returns the room's home.
   */
  private NodeProcesses.Node meetThroughFronts(String room) throws Exception {
    List<NodeProcesses.Node> all = nodes.nodes();
    for (int i = 0; i < 3; i++) {
      List<InetSocketAddress> order = new ArrayList<>();
      for (int k = 0; k < 3; k++) {
        order.add(new InetSocketAddress("127.0.0.1", all.get((i + k) % 3).httpPort()));
      }
      TcpProxy front = TcpProxy.preferring(order);
      fronts.add(front);
      LiveKitPage p = new LiveKitPage("http://127.0.0.1:" + front.port(), NAMES.get(i), o -> {});
      pages.add(p);
      p.connect(
          "ws://127.0.0.1:" + front.port(),
          LiveKitBrowserTest.token(NAMES.get(i), room),
          options());
    }
    explained(() -> ClusterMeeting.awaitSeeAndHear(pages));
    NodeProcesses.Node home = null;
    for (NodeProcesses.Node n : all) {
      if (nodes.metric(n, "visio_cluster_rooms_held", "") == 1) {
        home = n;
      }
    }
    assertThat(home).as("the room's home").isNotNull();
    return home;
  }

  /**
   * Each page watches itself (every 50 ms, in the page: WebDriver round trips under load would blur
   * the measure) and notes the wall-clock time it is back with everyone's video from their new
   * sessions; returns the sessions before.
   */
  private Map<String, String> watchForNewSessions() {
    Map<String, String> sids = new HashMap<>();
    for (LiveKitPage p : pages) {
      sids.put(p.identity, String.valueOf(p.state().get("sid")));
    }
    for (LiveKitPage p : pages) {
      p.run("window.visio.captureClientLog(); return 0;");
      p.run(WATCH.formatted(LiveKitPage.jsList(ClusterMeeting.others(pages, p)), oldSids(sids)));
    }
    return sids;
  }

  /** Waits (up to 30 s) for every page to be back; their times in ms after {@code since}. */
  private Map<String, Long> awaitBack(long since, String room, String what) throws Exception {
    Map<String, Long> backMs = new LinkedHashMap<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos(); // beyond the asserted
    while (backMs.size() < pages.size() && System.nanoTime() < deadline) {
      for (LiveKitPage p : pages) {
        if (!backMs.containsKey(p.identity)
            && p.run("return window.failoverBackAt;") instanceof Number at
            && at.longValue() > 0) {
          backMs.put(p.identity, at.longValue() - since);
        }
      }
      Thread.sleep(100);
    }
    System.out.println(what + "; back with video after (ms) " + backMs);
    for (LiveKitPage p : pages) {
      Map<?, ?> steps = (Map<?, ?>) p.run("return window.failoverSteps;");
      Map<String, Long> relative = new java.util.TreeMap<>();
      steps.forEach((k, v) -> relative.put(String.valueOf(k), ((Number) v).longValue() - since));
      System.out.println(what + ": " + p.identity + " steps (ms after) " + relative);
      // livekit-client's own steps: where a slow participant lost its time.
      for (Object line : (List<?>) p.run("return window.visio.clientLog();")) {
        String l = String.valueOf(line);
        int sp = l.indexOf(' ');
        long at = Long.parseLong(l.substring(0, sp)) - since;
        if (at >= 0 && CLIENT_STEPS.matcher(l).find()) {
          System.out.println(
              "  " + p.identity + " +" + at + l.substring(sp, Math.min(l.length(), sp + 80)));
        }
      }
    }
    // What the nodes decided, for the record (and for whoever reads a failure).
    nodes
        .logs()
        .lines()
        .filter(l -> l.startsWith("====") || l.contains("cluster:") || l.contains("room=" + room))
        .forEach(System.out::println);
    assertThat(backMs)
        .as("participants back with video (%s)\n%s", what, nodes.logs())
        .hasSize(pages.size());
    return backMs;
  }

  /** Everyone is in {@code room} under the same identity, in a new session, never disconnected. */
  private void assertSameRoomNewSessions(String room, Map<String, String> sids) {
    for (LiveKitPage p : pages) {
      Map<?, ?> s = p.state();
      assertThat(s.get("roomName")).isEqualTo(room);
      assertThat(s.get("identity")).isEqualTo(p.identity);
      assertThat(s.get("sid")).as("a new session").isNotEqualTo(sids.get(p.identity));
      assertThat(LiveKitPage.events(s))
          .contains("reconnected")
          .noneMatch(e -> e.startsWith("disconnected"));
    }
  }

  /**
   * Sets {@code window.failoverBackAt} to the time (ms since the epoch) the page is connected and
   * decodes video from every other participant's new session (a remote still listed under its old
   * sid is the dead node's leftover). Arguments: the others' identities, their old sids.
   */
  private static final String WATCH =
      """
      const others = %s;
      const old = %s;
      window.failoverBackAt = 0;
      window.failoverSteps = {};
      const step = (name) => {
        if (!(name in window.failoverSteps)) window.failoverSteps[name] = Date.now();
      };
      let left = false;
      const tick = async () => {
        const s = await window.visio.state();
        step('state:' + s.connectionState);
        if (s.connectionState !== 'connected') left = true;
        if (left) {
          // The new session's transports: the old ones were connected before the kill.
          const t = await window.visio.transports();
          step('pc-pub:' + t.publisher);
          step('pc-sub:' + t.subscriber);
          step('again:' + s.connectionState);
          if (t.publisher === 'connected' && t.videoSent > 0) step('rtp-out');
        }
        const back = others.map((o) => {
          const r = s.remotes.find((x) => x.identity === o);
          if (!r || r.sid === old[o]) return false;
          step('joined:' + o);
          const v = r.tracks.find((t) => t.kind === 'video');
          if (!v) return false;
          step('track:' + o);
          if (v.subscribed) step('subscribed:' + o);
          if ((v.packetsReceived ?? 0) > 0) step('rtp-in:' + o);
          if ((v.framesDecoded ?? 0) < 1) return false;
          step('frame:' + o);
          return true;
        }).every((b) => b);
        if (back && s.connectionState === 'connected') {
          window.failoverBackAt = Date.now();
        } else {
          setTimeout(tick, 50);
        }
      };
      tick();
      return 0;
      """;

  /** The sids as a JS object literal (test identities and sids: no quotes inside). */
  private static String oldSids(Map<String, String> sids) {
    StringBuilder b = new StringBuilder("{");
    sids.forEach(
        (k, v) -> b.append(b.length() > 1 ? "," : "").append(k).append(":'").append(v).append("'"));
    return b.append("}").toString();
  }

  private static String options() {
    return LiveKitBrowserTest.options(true, "");
  }

  /** The sum of a metric over the nodes alive. */
  private double sum(String name, String label) throws IOException, InterruptedException {
    double total = 0;
    for (NodeProcesses.Node n : nodes.nodes()) {
      if (n.alive()) {
        total += nodes.metric(n, name, label);
      }
    }
    return total;
  }

  private interface Step {
    void run() throws Exception;
  }

  /** Runs {@code step}; a failure carries the nodes' logs. */
  private void explained(Step step) throws Exception {
    try {
      step.run();
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(e.getMessage() + "\n" + nodes.logs(), e);
    }
  }
}
