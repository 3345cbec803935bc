package eu.visio.media.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Two associations over a simulated link, on a simulated clock: the handshake (one side or both at
 * once), messages small and large, ordered and not, and recovery from loss.
 */
class AssociationTest {
  /** One side: its association and what it received. */
  static final class Peer implements Association.Listener {
    final String name;
    final ArrayDeque<byte[]> outbox = new ArrayDeque<>();
    final List<String> messages = new ArrayList<>();
    final List<byte[]> payloads = new ArrayList<>();
    String closed;
    boolean established;
    Association association;

    Peer(String name) {
      this.name = name;
      this.association = new Association(Association.Config.webRtc(5000, 5000), this);
    }

    @Override
    public void onPacket(byte[] packet) {
      outbox.add(packet);
    }

    @Override
    public void onMessage(int streamId, long ppid, boolean unordered, byte[] payload) {
      messages.add(
          streamId
              + ":"
              + ppid
              + ":"
              + (payload.length < 64 ? new String(payload) : payload.length));
      payloads.add(payload);
    }

    @Override
    public void onEstablished() {
      established = true;
    }

    @Override
    public void onClosed(String reason) {
      closed = reason;
    }
  }

  final Peer a = new Peer("a");
  final Peer b = new Peer("b");
  long now = 1_000_000_000L;

  /**
   * Delivers packets both ways (dropping those {@code lose} picks) and runs timers, for a while.
   */
  void run(long nanos, Predicate<byte[]> lose) {
    long end = now + nanos;
    while (now < end) {
      boolean moved = true;
      while (moved) {
        moved = deliver(a, b, lose) | deliver(b, a, lose);
      }
      now += 10_000_000L; // 10 ms steps
      a.association.tick(now);
      b.association.tick(now);
    }
  }

  private boolean deliver(Peer from, Peer to, Predicate<byte[]> lose) {
    boolean any = false;
    byte[] p;
    while ((p = from.outbox.poll()) != null) {
      any = true;
      if (!lose.test(p)) {
        assertThat(to.association.receive(p, 0, p.length, now)).as("accepted").isNull();
      }
    }
    return any;
  }

  void run(long nanos) {
    run(nanos, p -> false);
  }

  @Test
  void oneSideConnects() {
    a.association.connect(now);
    run(100_000_000L);
    assertThat(a.established).isTrue();
    assertThat(b.established).isTrue();
    assertThat(a.association.state()).isEqualTo(Association.State.ESTABLISHED);
  }

  /** WebRTC peers both send INIT as DTLS comes up: both handshakes meet in one association. */
  @Test
  void bothSidesConnectAtOnce() {
    a.association.connect(now);
    b.association.connect(now);
    run(200_000_000L);
    assertThat(a.established).isTrue();
    assertThat(b.established).isTrue();
    a.association.send(1, 51, "after the collision".getBytes(), false, now);
    run(100_000_000L);
    assertThat(b.messages).containsExactly("1:51:after the collision");
  }

  @Test
  void messagesArriveWholeAndInOrderPerStream() {
    a.association.connect(now);
    run(100_000_000L);
    byte[] big = new byte[100_000];
    new Random(1).nextBytes(big);
    a.association.send(1, 51, "one".getBytes(), false, now);
    a.association.send(1, 53, big, false, now);
    a.association.send(1, 51, "three".getBytes(), false, now);
    a.association.send(2, 51, "unordered".getBytes(), true, now);
    b.association.send(7, 51, "back".getBytes(), false, now);
    run(2_000_000_000L);
    assertThat(b.messages)
        .containsSubsequence("1:51:one", "1:53:100000", "1:51:three")
        .contains("2:51:unordered")
        .hasSize(4);
    assertThat(b.payloads.get(b.messages.indexOf("1:53:100000"))).isEqualTo(big);
    assertThat(a.messages).containsExactly("7:51:back");
  }

  /**
   * One packet in five lost at random: retransmissions (fast or on timeout) deliver everything in
   * order.
   */
  @Test
  void lossIsRepaired() {
    a.association.connect(now);
    run(100_000_000L);
    Random r = new Random(7);
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      byte[] m = new byte[500 + r.nextInt(3000)];
      Arrays.fill(m, (byte) i);
      a.association.send(3, 53, m, false, now);
      sent.add("3:53:" + m.length);
    }
    Random loss = new Random(11);
    run(30_000_000_000L, p -> loss.nextInt(5) == 0);
    assertThat(b.messages).containsExactlyElementsOf(sent);
    for (int i = 0; i < b.payloads.size(); i++) {
      assertThat(b.payloads.get(i)).containsOnly((byte) i);
    }
  }

  @Test
  void heartbeatsAreAnswered() throws Exception {
    a.association.connect(now);
    run(100_000_000L);
    List<byte[]> out = new ArrayList<>();
    // a HEARTBEAT from "a" with the right tag: taken from a's own packets
    byte[] probe = a.outbox.isEmpty() ? null : a.outbox.peek();
    assertThat(probe).isNull();
    a.association.send(1, 51, "x".getBytes(), false, now);
    byte[] dataPacket = a.outbox.poll();
    SctpPacket p = SctpPacket.parse(dataPacket, 0, dataPacket.length);
    byte[] hb =
        new SctpPacket(
                5000,
                5000,
                p.verificationTag(),
                List.of(HeartbeatChunk.of(false, new byte[] {1, 2, 3})))
            .toBytes();
    b.association.receive(hb, 0, hb.length, now);
    out.addAll(b.outbox);
    SctpPacket answer = SctpPacket.parse(out.getFirst(), 0, out.getFirst().length);
    HeartbeatChunk ack = (HeartbeatChunk) answer.chunks().getFirst();
    assertThat(ack.ack()).isTrue();
    assertThat(ack.params().getFirst().value()).containsExactly(1, 2, 3);
  }

  /** A COOKIE ECHO we did not sign creates nothing; a packet with another tag is dropped. */
  @Test
  void forgedCookiesAndWrongTagsAreIgnored() {
    byte[] forged =
        new SctpPacket(5000, 5000, 1234, List.of(new CookieEchoChunk(new byte[StateCookie.LENGTH])))
            .toBytes();
    assertThat(b.association.receive(forged, 0, forged.length, now)).isNull();
    assertThat(b.association.state()).isEqualTo(Association.State.CLOSED);
    assertThat(b.outbox).as("no COOKIE ACK").isEmpty();
    a.association.connect(now);
    run(100_000_000L);
    byte[] stray = new SctpPacket(5000, 5000, 99, List.of(new ShutdownChunk(1))).toBytes();
    assertThat(b.association.receive(stray, 0, stray.length, now))
        .isEqualTo("wrong verification tag");
    assertThat(b.association.state()).isEqualTo(Association.State.ESTABLISHED);
  }

  @Test
  void anAbortClosesThePeer() {
    a.association.connect(now);
    run(100_000_000L);
    a.association.abort("bye");
    run(50_000_000L);
    assertThat(a.closed).isEqualTo("bye");
    assertThat(b.closed).isEqualTo("aborted by the peer");
  }

  @Test
  void anUnansweredInitGivesUp() {
    a.association.connect(now);
    run(600_000_000_000L, p -> true);
    assertThat(a.closed).isEqualTo("handshake timed out");
  }

  /**
   * Partial reliability (RFC 3758): messages sent without retransmission are abandoned when lost,
   * the peer skips them on FORWARD TSN, and nothing stalls: later messages, ordered ones on a
   * partially reliable stream included, and reliable ones on another stream, all arrive.
   */
  @Test
  void lostUnreliableMessagesAreSkipped() {
    a.association.connect(now);
    run(100_000_000L);
    for (int i = 0; i < 40; i++) {
      a.association.send(5, 53, ("lossy " + i).getBytes(), false, 0, -1, now);
    }
    Random loss = new Random(3);
    run(200_000_000L, p -> loss.nextInt(4) == 0);
    a.association.send(5, 53, "after".getBytes(), false, 0, -1, now);
    a.association.send(6, 51, "reliable".getBytes(), false, now);
    run(2_000_000_000L);
    assertThat(b.messages).as("some were lost for good").hasSizeLessThan(42);
    assertThat(b.messages).contains("6:51:reliable");
    List<String> stream5 = b.messages.stream().filter(m -> m.startsWith("5:")).toList();
    assertThat(stream5).as("the stream goes on past what was lost").endsWith("5:53:after");
    List<String> lossy = b.messages.stream().filter(m -> m.startsWith("5:53:lossy")).toList();
    List<Integer> order = lossy.stream().map(m -> Integer.parseInt(m.substring(11))).toList();
    assertThat(order).as("what arrived is in order").isSorted();
  }
}
