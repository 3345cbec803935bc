package eu.visio.media.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.sctp.ReconfigParam.OtherRequest;
import eu.visio.media.sctp.ReconfigParam.OutgoingReset;
import eu.visio.media.sctp.ReconfigParam.Response;
import eu.visio.media.sctp.ReconfigParam.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Stream reset (RFC 6525) between two associations, and its sequence-number rules. */
class StreamResetTest {
  private static final long SECOND = 1_000_000_000L;

  /** The closing side's messages all arrive, then the reset; then the stream starts over at 0. */
  @Test
  void aResetFollowsTheMessagesSentBeforeIt() {
    SctpSim sim = new SctpSim(1).connect();
    for (String m : List.of("one", "two", "three")) {
      sim.a.association.send(1, 51, m.getBytes(), false, sim.now);
    }
    sim.a.association.send(3, 51, "other stream".getBytes(), false, sim.now);
    sim.a.association.resetStreams(new int[] {1}, sim.now);
    sim.run(SECOND);
    assertThat(sim.b.events)
        .containsSubsequence("1:one", "1:two", "1:three", "in-reset [1]")
        .contains("3:other stream");
    assertThat(sim.a.events).containsExactly("out-reset [1]");

    // Sequence numbers restart at 0 on both sides: the stream carries a new series.
    sim.a.association.send(1, 51, "again".getBytes(), false, sim.now);
    sim.a.association.send(3, 51, "still".getBytes(), false, sim.now);
    sim.run(SECOND);
    assertThat(sim.b.events).endsWith("1:again", "3:still");
  }

  /**
   * Under loss and reordering the reset waits for the data sent before it (the peer answers "in
   * progress" meanwhile and the request is retried), for every seed.
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
  void underLossTheResetStillComesLast(long seed) {
    // Odd seeds with DATA, even ones with I-DATA.
    SctpSim sim = new SctpSim(seed, seed % 2 == 0, true).connect();
    sim.loss = 0.25;
    sim.jitter = 30_000_000L;
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      sim.a.association.send(1, 51, ("m" + i).getBytes(), false, sim.now);
      expected.add("1:m" + i);
    }
    sim.a.association.resetStreams(new int[] {1}, sim.now);
    assertThat(sim.runUntil(() -> sim.a.events.contains("out-reset [1]"), 120 * SECOND)).isTrue();
    expected.add("in-reset [1]");
    assertThat(sim.b.events).containsExactlyElementsOf(expected);
    sim.a.association.send(1, 51, "new series".getBytes(), false, sim.now);
    assertThat(sim.runUntil(() -> sim.b.events.contains("1:new series"), 120 * SECOND)).isTrue();
  }

  /** Both close the same stream at once (both data channel ends call close()). */
  @Test
  void bothSidesResetTheSameStream() {
    SctpSim sim = new SctpSim(3).connect();
    sim.a.association.resetStreams(new int[] {5}, sim.now);
    sim.b.association.resetStreams(new int[] {5}, sim.now);
    sim.run(SECOND);
    assertThat(sim.a.events).containsExactlyInAnyOrder("out-reset [5]", "in-reset [5]");
    assertThat(sim.b.events).containsExactlyInAnyOrder("out-reset [5]", "in-reset [5]");
  }

  /** Resets asked while one is out go in the next request, together. */
  @Test
  void resetsAskedMeanwhileAreBatched() {
    SctpSim sim = new SctpSim(4).connect();
    sim.a.association.resetStreams(new int[] {1}, sim.now);
    sim.a.association.resetStreams(new int[] {3}, sim.now);
    sim.a.association.resetStreams(new int[] {7}, sim.now);
    sim.run(SECOND);
    assertThat(sim.a.events).containsExactly("out-reset [1]", "out-reset [3, 7]");
    assertThat(sim.b.events).containsExactly("in-reset [1]", "in-reset [3, 7]");
  }

  /**
   * Messages of the new series that overtake the old series' last ones wait for the reset (deferred
   * reset processing, RFC 6525 §5.2.2 E2).
   */
  @Test
  void theNewSeriesWaitsForTheOld() {
    ReceiveBuffer r = new ReceiveBuffer(100, 1 << 20);
    List<ReceiveBuffer.Message> out = new ArrayList<>();
    out.addAll(r.onData(data(100, 1, 0, "old 0")));
    assertThat(r.requestReset(101, new int[] {1})).isTrue();
    assertThat(r.resetIfReady(out)).as("TSN 101 is missing").isNull();
    out.addAll(r.onData(data(102, 1, 0, "new 0"))); // overtook TSN 101
    out.addAll(r.onData(data(103, 2, 0, "other stream")));
    assertThat(texts(out)).as("other streams go on").containsExactly("old 0", "other stream");
    out.addAll(r.onData(data(101, 1, 1, "old 1")));
    assertThat(r.resetIfReady(out)).containsExactly(1);
    assertThat(texts(out)).containsExactly("old 0", "other stream", "old 1", "new 0");
    out.addAll(r.onData(data(104, 1, 1, "new 1")));
    assertThat(texts(out)).endsWith("new 0", "new 1");
    assertThat(r.resetPending()).isFalse();
  }

  /** A peer's request numbers: retransmissions, retries, errors and denials (RFC 6525 §5.2). */
  @Test
  void requestNumbersAreChecked() {
    Recorder events = new Recorder();
    StreamResets resets = new StreamResets(5000, 700, events);
    ReceiveBuffer receive = new ReceiveBuffer(700, 1 << 20);

    assertThat(resets.onRequest(new OutgoingReset(701, 0, 699, new int[] {1}), receive))
        .as("not the next number (700)")
        .isEqualTo(new Response(701, Result.ERROR_BAD_SEQUENCE_NUMBER));
    assertThat(resets.onRequest(new OutgoingReset(700, 0, 699, new int[] {1}), receive))
        .as("pending: the association performs it")
        .isNull();
    assertThat(resets.performIfReady(receive))
        .isEqualTo(new Response(700, Result.SUCCESS_PERFORMED));
    assertThat(events.events).containsExactly("in-reset [1]");
    assertThat(resets.onRequest(new OutgoingReset(700, 0, 699, new int[] {1}), receive))
        .as("a retransmission gets the same answer")
        .isEqualTo(new Response(700, Result.SUCCESS_PERFORMED));
    assertThat(resets.onRequest(new OutgoingReset(701, 0, 699, new int[] {1}), receive))
        .as("a retry under a new number is not performed twice")
        .isEqualTo(new Response(701, Result.SUCCESS_PERFORMED));
    assertThat(resets.onRequest(new OtherRequest(ReconfigParam.ADD_OUTGOING_STREAMS, 702), receive))
        .isEqualTo(new Response(702, Result.DENIED));
    assertThat(resets.onRequest(new OtherRequest(ReconfigParam.INCOMING_RESET, 702), receive))
        .as("retransmitted denial")
        .isEqualTo(new Response(702, Result.DENIED));

    // Data still missing: in progress, also for a retry under a new number; another is refused.
    assertThat(resets.onRequest(new OutgoingReset(703, 0, 710, new int[] {2}), receive)).isNull();
    assertThat(resets.inProgress()).isEqualTo(new Response(703, Result.IN_PROGRESS));
    assertThat(resets.performIfReady(receive)).isNull();
    assertThat(resets.onRequest(new OutgoingReset(704, 0, 710, new int[] {2}), receive))
        .isEqualTo(new Response(704, Result.IN_PROGRESS));
    assertThat(resets.onRequest(new OutgoingReset(705, 0, 720, new int[] {3}), receive))
        .isEqualTo(new Response(705, Result.ERROR_REQUEST_IN_PROGRESS));
    IntStream.rangeClosed(700, 710).forEach(tsn -> receive.onData(data(tsn, 9, tsn - 700, "x")));
    assertThat(resets.performIfReady(receive))
        .as("answered under the latest number it was asked with")
        .isEqualTo(new Response(704, Result.SUCCESS_PERFORMED));
  }

  /** The whole exchange, our side: a request, "in progress", a retry, success. */
  @Test
  void ourRequestIsRetriedUnderANewNumberWhileInProgress() {
    SendBuffer send = new SendBuffer(9000, 1 << 20, 1200);
    send.enqueue(4, 51, "before".getBytes(), false);
    Recorder record = new Recorder();
    StreamResets resets = new StreamResets(9000, 1, record);
    List<String> effects = record.events;
    resets.reset(4);
    assertThat(resets.take(send, 0)).as("waits for the stream's queued message").isNull();
    assertThat(send.take(0)).hasSize(1); // it leaves with TSN 9000
    OutgoingReset first = resets.take(send, 0);
    assertThat(first).isEqualTo(new OutgoingReset(9000, 0, 9000, new int[] {4}));
    assertThat(resets.take(send, 1)).as("nothing new before the timer").isNull();
    assertThat(resets.take(send, first == null ? 0 : resets.deadline()))
        .as("lost: the same request again")
        .isEqualTo(first);
    resets.onResponse(new Response(9000, Result.IN_PROGRESS), send);
    OutgoingReset retry = resets.take(send, resets.deadline());
    assertThat(retry).isEqualTo(new OutgoingReset(9001, 0, 9000, new int[] {4}));
    resets.onResponse(new Response(9000, Result.SUCCESS_PERFORMED), send);
    assertThat(effects).as("a stale answer changes nothing").isEmpty();
    resets.onResponse(new Response(9001, Result.SUCCESS_PERFORMED), send);
    assertThat(effects).containsExactly("out-reset [4]");
    assertThat(resets.idle()).isTrue();
  }

  /** What the association's listener hears of resets. */
  private static final class Recorder implements Association.Listener {
    final List<String> events = new ArrayList<>();

    @Override
    public void onPacket(byte[] packet) {}

    @Override
    public void onMessage(int streamId, long ppid, boolean unordered, byte[] payload) {
      events.add(streamId + ":" + new String(payload));
    }

    @Override
    public void onIncomingStreamsReset(int[] streams) {
      events.add("in-reset " + java.util.Arrays.toString(streams));
    }

    @Override
    public void onOutgoingStreamsReset(int[] streams) {
      events.add("out-reset " + java.util.Arrays.toString(streams));
    }

    @Override
    public void onOutgoingStreamsResetFailed(int[] streams, String reason) {
      events.add("out-reset-failed " + reason);
    }
  }

  private static DataChunk data(long tsn, int stream, int ssn, String text) {
    return new DataChunk(false, true, true, false, tsn, stream, ssn, 51, text.getBytes());
  }

  private static List<String> texts(List<ReceiveBuffer.Message> messages) {
    return messages.stream().map(m -> new String(m.payload())).toList();
  }
}
