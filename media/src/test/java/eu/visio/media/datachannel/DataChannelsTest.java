package eu.visio.media.datachannel;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.sctp.Association;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two peers' data channels over a simulated link: DCEP both ways, messages of every PPID. */
class DataChannelsTest {
  static final class Peer implements DataChannels.Listener {
    final ArrayDeque<byte[]> outbox = new ArrayDeque<>();
    final List<String> opened = new ArrayList<>();
    final List<String> received = new ArrayList<>();
    final List<String> closed = new ArrayList<>();
    final List<Integer> tooLarge = new ArrayList<>();
    final DataChannels channels;

    Peer(boolean dtlsClient) {
      this(dtlsClient, 0, 0);
    }

    Peer(boolean dtlsClient, long maxSend, long maxReceive) {
      channels =
          new DataChannels(
              Association.Config.webRtc(5000, 5000), dtlsClient, maxSend, maxReceive, this);
    }

    @Override
    public void onMessageTooLarge(DataChannels.Channel channel, int size) {
      tooLarge.add(size);
    }

    @Override
    public void onPacket(byte[] packet) {
      outbox.add(packet);
    }

    @Override
    public void onOpen(DataChannels.Channel channel) {
      opened.add(channel.label() + "@" + channel.streamId() + (channel.ordered() ? "" : "~"));
    }

    @Override
    public void onMessage(DataChannels.Channel channel, byte[] payload, boolean binary) {
      received.add(channel.label() + ":" + (binary ? "bin" : "str") + ":" + new String(payload));
    }

    @Override
    public void onChannelClosed(DataChannels.Channel channel) {
      closed.add(channel.label() + "@" + channel.streamId());
    }
  }

  Peer browser = new Peer(true);
  Peer server = new Peer(false);
  long now = 1_000_000_000L;

  void run() {
    for (int i = 0; i < 50; i++) {
      byte[] p;
      while ((p = browser.outbox.poll()) != null) {
        server.channels.receive(p, now);
      }
      while ((p = server.outbox.poll()) != null) {
        browser.channels.receive(p, now);
      }
      now += 10_000_000L;
      browser.channels.tick(now);
      server.channels.tick(now);
    }
  }

  @Test
  void channelsOpenEitherWayAndCarryMessages() {
    browser.channels.start(now);
    server.channels.start(now);
    run();
    assertThat(browser.channels.established()).isTrue();
    browser.channels.open("_reliable", DcepMessage.ChannelType.RELIABLE, now);
    browser.channels.open("_lossy", DcepMessage.ChannelType.PARTIAL_RELIABLE_REXMIT_UNORDERED, now);
    server.channels.open("from-server", DcepMessage.ChannelType.RELIABLE, now);
    run();
    // The browser (DTLS client) opens even streams, the server odd ones; each side announces
    // the peer's channels on their OPEN and its own on the ACK.
    assertThat(server.opened)
        .containsExactlyInAnyOrder("_reliable@0", "_lossy@2~", "from-server@1");
    assertThat(browser.opened)
        .containsExactlyInAnyOrder("_reliable@0", "_lossy@2~", "from-server@1");

    var reliable = browser.channels.channel("_reliable");
    browser.channels.send(reliable, "hello".getBytes(), false, now);
    browser.channels.send(reliable, "bytes".getBytes(), true, now);
    browser.channels.send(reliable, new byte[0], false, now);
    server.channels.send(server.channels.channel("from-server"), "hi".getBytes(), false, now);
    run();
    assertThat(server.received)
        .containsExactly("_reliable:str:hello", "_reliable:bin:bytes", "_reliable:str:");
    assertThat(browser.received).containsExactly("from-server:str:hi");
  }

  /** A channel opened before SCTP is up is opened as soon as it is (the server's, on /rtc). */
  @Test
  void channelsOpenedEarlyOpenOnceEstablished() {
    server.channels.start(now);
    server.channels.open("_reliable", DcepMessage.ChannelType.RELIABLE, now);
    browser.channels.start(now);
    run();
    assertThat(browser.opened).containsExactly("_reliable@1");
    assertThat(server.opened).containsExactly("_reliable@1");
  }

  /**
   * Closing (RFC 8831 §6.7): whichever side closes, both see the channel close after the messages
   * sent before; other channels go on, and a message on a closed channel is refused.
   */
  @Test
  void eitherSideClosesAChannel() {
    browser.channels.start(now);
    server.channels.start(now);
    run();
    browser.channels.open("chat", DcepMessage.ChannelType.RELIABLE, now);
    browser.channels.open("files", DcepMessage.ChannelType.RELIABLE, now);
    server.channels.open("events", DcepMessage.ChannelType.RELIABLE, now);
    run();
    var chat = browser.channels.channel("chat");
    browser.channels.send(chat, "last words".getBytes(), false, now);
    browser.channels.close(chat, now);
    assertThat(browser.channels.send(chat, "too late".getBytes(), false, now))
        .isEqualTo(DataChannels.Outcome.NOT_OPEN);
    run();
    assertThat(server.received).containsExactly("chat:str:last words");
    assertThat(browser.closed).containsExactly("chat@0");
    assertThat(server.closed).containsExactly("chat@0");
    assertThat(server.channels.channel("chat")).isNull();

    // The server closes one of its own the same way.
    server.channels.close(server.channels.channel("events"), now);
    run();
    assertThat(browser.closed).containsExactly("chat@0", "events@1");
    assertThat(server.closed).containsExactly("chat@0", "events@1");

    var files = browser.channels.channel("files");
    assertThat(browser.channels.send(files, "still open".getBytes(), false, now))
        .isEqualTo(DataChannels.Outcome.SENT);
    run();
    assertThat(server.received).endsWith("files:str:still open");
  }

  /**
   * RFC 8841 max-message-size: the server (limits 64 KiB out, as the browser's SDP said, and 256
   * KiB in, as ours says) refuses to send more than the browser takes and drops, reporting it, what
   * exceeds its own limit; messages at the limits pass.
   */
  @Test
  void maxMessageSizesAreHonouredBothWays() {
    browser = new Peer(true); // no limits of its own in this test: it sends what it is told
    server = new Peer(false, 65_536, 262_144);
    browser.channels.start(now);
    server.channels.start(now);
    run();
    browser.channels.open("_reliable", DcepMessage.ChannelType.RELIABLE, now);
    run();
    var atServer = server.channels.channel("_reliable");
    var atBrowser = browser.channels.channel("_reliable");
    assertThat(server.channels.send(atServer, new byte[65_536], true, now))
        .isEqualTo(DataChannels.Outcome.SENT);
    assertThat(server.channels.send(atServer, new byte[65_537], true, now))
        .isEqualTo(DataChannels.Outcome.TOO_LARGE);
    browser.channels.send(atBrowser, new byte[262_144], true, now);
    browser.channels.send(atBrowser, new byte[262_145], true, now);
    browser.channels.send(atBrowser, "after".getBytes(), false, now);
    for (int i = 0; i < 10; i++) {
      run();
    }
    assertThat(browser.received).hasSize(1);
    assertThat(server.tooLarge).containsExactly(262_145);
    assertThat(server.received).hasSize(2).endsWith("_reliable:str:after");
  }

  /**
   * A receiver that stops acknowledging (its packets no longer reach us): lossy messages are
   * dropped once 256 KiB wait, reliable ones only past 16 MiB; nothing waits beyond that.
   */
  @Test
  void aSlowReceiverGetsBoundedBacklogs() {
    browser.channels.start(now);
    server.channels.start(now);
    run();
    browser.channels.open("_reliable", DcepMessage.ChannelType.RELIABLE, now);
    browser.channels.open("_lossy", DcepMessage.ChannelType.PARTIAL_RELIABLE_REXMIT_UNORDERED, now);
    run();
    var reliable = server.channels.channel("_reliable");
    var lossy = server.channels.channel("_lossy");
    // The browser goes silent: what the server sends is never acknowledged.
    byte[] chunk = new byte[64 * 1024];
    int lossySent = 0;
    while (server.channels.send(lossy, chunk, true, now) == DataChannels.Outcome.SENT) {
      lossySent++;
    }
    assertThat(server.channels.send(lossy, chunk, true, now))
        .isEqualTo(DataChannels.Outcome.BACKLOGGED);
    assertThat((long) lossySent * chunk.length)
        .isBetween(
            DataChannels.PARTIAL_BACKLOG_BYTES,
            DataChannels.PARTIAL_BACKLOG_BYTES + 2L * 1024 * 1024);
    assertThat(server.channels.send(reliable, chunk, true, now))
        .as("reliable still queues")
        .isEqualTo(DataChannels.Outcome.SENT);
    int reliableSent = 1;
    while (server.channels.send(reliable, chunk, true, now) == DataChannels.Outcome.SENT) {
      reliableSent++;
    }
    assertThat((long) (lossySent + reliableSent) * chunk.length)
        .isGreaterThan(DataChannels.BACKLOG_BYTES)
        .isLessThan(DataChannels.BACKLOG_BYTES + 2L * 1024 * 1024);
  }
}
