package eu.visio.server.netns;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.server.VisioServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (tag {@code benchmark}; needs root for the lab): how long a join takes for
 * a client in a lab namespace behind each kind of network, against the server as {@link LabServer}
 * runs it (relays on demand), with a publisher on the host. Measured from the join call to {@code
 * room.connect()} resolving (livekit-client's peer connection up), and to the publisher's first
 * video frame decoded (polled every 250 ms). Cases: an open network (UDP); a port filter letting
 * only TCP 443 out (ICE-TCP on 443); a TLS-only middlebox, first join (no direct path: asked to
 * resume after 3 s, then TURN/TLS on 443) and a rejoin of the same identity (relays at join).
 * Writes {@code server/target/on-demand-relay-join.txt}.
 */
@Tag("benchmark")
class OnDemandRelayJoinBenchmark {
  private static final int JOINS = 5;
  private static final Duration WAIT = Duration.ofSeconds(40);

  @Test
  void joinTimeByNetwork() throws Exception {
    StringBuilder report = new StringBuilder();
    report.append("case | connect() median / max | first frame median / max\n");
    report.append(run("open network (UDP)", Firewall.open(), false));
    report.append(run("only TCP 443 (ICE-TCP on 443)", Firewall.onlyTcp(443), false));
    report.append(run("TLS-only, first join (relays on demand)", Firewall.onlyTlsTo(443), false));
    report.append(run("TLS-only, rejoin (relays at join)", Firewall.onlyTlsTo(443), true));
    System.out.print(report);
    Files.writeString(Path.of("target", "on-demand-relay-join.txt"), report);
  }

  private static String run(String name, Firewall firewall, boolean rejoin) throws Exception {
    List<Double> connect = new ArrayList<>();
    List<Double> frame = new ArrayList<>();
    try (NetLab lab = NetLab.createPublic();
        VisioServer server = LabServer.start(lab)) {
      lab.firewall(firewall);
      String room = "bench";
      try (LabParticipant bob = LabParticipant.onHost(LabServer.base(lab, server), "bob")) {
        bob.join(LabServer.signal(lab, server), LabServer.token("bob", room));
        for (int i = 0; i < JOINS; i++) {
          String identity = "viewer-" + i;
          if (rejoin) {
            join(lab, identity, room, null, null); // the first join, not measured
          }
          join(lab, identity, room, connect, frame);
        }
      }
      if (!rejoin && firewall instanceof Firewall.OnlyTlsTo) {
        assertThat(server.rooms().stats().relaysOnDemand()).isEqualTo(JOINS);
      }
    }
    return "%s | %.0f / %.0f ms | %.0f / %.0f ms%n"
        .formatted(name, median(connect), max(connect), median(frame), max(frame));
  }

  private static void join(
      NetLab lab, String identity, String room, List<Double> connect, List<Double> frame)
      throws Exception {
    try (LabParticipant p = LabParticipant.inLab(lab, LabServer.httpsBase(lab), identity)) {
      long t0 = System.nanoTime();
      p.join(LabServer.secureSignal(lab), LabServer.token(identity, room));
      long connected = System.nanoTime();
      p.awaitVideoFrom("bob", 0, WAIT);
      long decoded = System.nanoTime();
      if (connect != null) {
        connect.add((connected - t0) / 1e6);
        frame.add((decoded - t0) / 1e6);
      }
    }
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }

  private static double max(List<Double> xs) {
    return Collections.max(xs);
  }
}
