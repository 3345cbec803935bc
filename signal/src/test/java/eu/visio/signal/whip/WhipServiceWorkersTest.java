package eu.visio.signal.whip;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.DropCounters;
import eu.visio.media.dtls.DtlsCertificate;
import eu.visio.media.ice.HostCandidates;
import eu.visio.media.ice.IceCandidate;
import eu.visio.media.net.MediaWorker;
import eu.visio.media.net.UdpMediaPort;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Streams on a port with two media workers: a stream's sessions all go to the worker it was placed
 * on, new streams go to the least loaded worker, and a stream whose sessions all ended is free to
 * be placed again. A worker's load is its transports' registered ufrags, one per session here.
 */
class WhipServiceWorkersTest {
  private UdpMediaPort port;
  private WhipService whip;
  private String offer;

  @BeforeEach
  void start() throws Exception {
    port =
        UdpMediaPort.bind(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            (buf, off, len) -> null,
            new DropCounters(),
            UdpMediaPort.Io.configured(),
            2);
    List<IceCandidate> candidates =
        HostCandidates.fromAddresses(
            List.of(InetAddress.getLoopbackAddress()),
            port.localAddress().getPort(),
            IceCandidate.Transport.UDP);
    whip = new WhipService(port, DtlsCertificate.shared(), candidates);
    try (InputStream in =
        WhipServiceWorkersTest.class.getResourceAsStream("/sdp/chrome-whip-offer.sdp")) {
      offer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
  }

  @AfterEach
  void stop() {
    whip.close();
    port.close();
  }

  private List<Integer> loads() {
    return port.workers().stream().map(MediaWorker::load).toList();
  }

  /** Publishes to {@code stream} and returns the index of the worker that took the session. */
  private int publishOn(String stream, List<WhipResource> into) throws WhipException {
    List<Integer> before = loads();
    into.add(whip.publish(stream, offer));
    List<Integer> after = loads();
    int grew = -1;
    for (int i = 0; i < after.size(); i++) {
      if (after.get(i) == before.get(i) + 1) {
        assertThat(grew).as("one worker took the session: %s -> %s", before, after).isEqualTo(-1);
        grew = i;
      } else {
        assertThat(after.get(i)).isEqualTo(before.get(i));
      }
    }
    assertThat(grew).as("a worker took the session: %s -> %s", before, after).isNotNegative();
    return grew;
  }

  @Test
  void aStreamStaysOnItsWorkerWhileItHasSessions() throws Exception {
    List<WhipResource> a = new ArrayList<>();
    List<WhipResource> b = new ArrayList<>();
    int aWorker = publishOn("a", a);
    int bWorker = publishOn("b", b);
    assertThat(bWorker).as("the second stream goes to the idle worker").isNotEqualTo(aWorker);

    // Further publishers of b join it, although a's worker is now the less loaded.
    assertThat(publishOn("b", b)).isEqualTo(bWorker);
    assertThat(publishOn("b", b)).isEqualTo(bWorker);
    assertThat(loads().get(bWorker)).isEqualTo(3);

    for (WhipResource r : b) {
      whip.delete(SessionKind.WHIP, "b", r.id());
    }
    assertThat(loads().get(bWorker)).isZero();
    // Load b's old worker with another stream, so that a stream b still pinned there would show.
    List<WhipResource> c = new ArrayList<>();
    assertThat(publishOn("c", c)).isEqualTo(bWorker);
    assertThat(publishOn("c", c)).isEqualTo(bWorker);

    assertThat(publishOn("b", b)).as("b placed afresh, on the least loaded").isEqualTo(aWorker);
  }
}
