package eu.visio.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.visio.media.DropCounters;
import eu.visio.media.dtls.DtlsCertificate;
import eu.visio.media.net.UdpMediaPort;
import eu.visio.signal.livekit.LiveKitRooms;
import eu.visio.signal.rtc.RtcMedia;
import eu.visio.signal.whip.WhipService;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The number of media workers: option, default, validation, and its metrics. */
class MediaWorkersConfigTest {
  @Test
  void optionSetsTheCountAndTheDefaultIsOnePerProcessor() {
    Main main = new Main();
    new CommandLine(main).parseArgs("--media-workers", "3");
    assertThat(main.mediaWorkers).isEqualTo(3);

    Main unset = new Main();
    new CommandLine(unset).parseArgs();
    assertThat(unset.mediaWorkers).isNull();
    assertThat(ServerConfig.defaults().mediaWorkers())
        .isEqualTo(Runtime.getRuntime().availableProcessors());
  }

  @Test
  void aServerNeedsAWorker() {
    assertThatThrownBy(
            () -> new ServerConfig("127.0.0.1", 0, 0, List.of(), true, Optional.empty(), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new ServerConfig("127.0.0.1", 0, 0, List.of(), true, Optional.empty(), 2).toString())
        .contains("mediaWorkers=2");
  }

  @Test
  void everyWorkerHasItsCounters() throws Exception {
    DropCounters drops = new DropCounters();
    try (UdpMediaPort port =
            UdpMediaPort.bind(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                (buf, off, len) -> null,
                drops,
                UdpMediaPort.Io.configured(),
                2);
        WhipService whip = new WhipService(port, DtlsCertificate.shared(), List.of());
        LiveKitRooms rooms =
            new LiveKitRooms(new RtcMedia(port, DtlsCertificate.shared(), List.of()))) {
      port.worker(1).registerUfrag("u", (buf, off, len, remote) -> {});
      String scrape = new Metrics(drops, port, whip, rooms).scrape();
      for (String worker : List.of("0", "1")) {
        assertThat(scrape)
            .contains("visio_media_worker_received_datagrams_total{worker=\"" + worker + "\"} 0")
            .contains("visio_media_worker_sent_datagrams_total{worker=\"" + worker + "\"} 0")
            .contains("visio_media_worker_handed_off_datagrams_total{worker=\"" + worker + "\"} 0");
      }
      assertThat(scrape)
          .contains("visio_media_worker_endpoints{worker=\"0\"} 0")
          .contains("visio_media_worker_endpoints{worker=\"1\"} 1");
      // Room media counts (MediaTotalsTest drives them through an SFU room): what became of
      // subscribers' NACKs, beside the retransmissions they led to.
      assertThat(scrape).contains("visio_retransmissions 0");
      for (String outcome : List.of("resent", "not_in_history", "rate_limited", "unmapped")) {
        assertThat(scrape)
            .contains("visio_subscriber_nacked_packets{outcome=\"" + outcome + "\"} 0");
      }
    }
  }
}
