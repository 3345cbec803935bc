package eu.visio.media.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * An established association (DATA or I-DATA) fed chunks its peer could send but should not: DATA,
 * I-DATA, SACK, FORWARD TSN, I-FORWARD-TSN, RE-CONFIG, HEARTBEAT, SHUTDOWN and ABORT with numbers
 * near and far from the real ones, in any order. It never throws, and unless the forgeries could
 * legitimately end the association or move its receive point (DATA, FORWARD TSN, SHUTDOWN, ABORT),
 * an unordered message from the real peer still arrives.
 */
class EstablishedAssociationFuzzTest {
  /** A chunk to forge, with TSNs and sequence numbers as offsets from the live ones. */
  record Forgery(int kind, int offset, int stream, int ssn, int count, boolean flag) {
    Chunk chunk(long cumulative, long peerRequestSeq) {
      long tsn = (cumulative + offset) & 0xFFFF_FFFFL;
      return switch (kind) {
        case 0 ->
            new DataChunk(
                flag,
                count % 2 == 0,
                count % 3 == 0,
                false,
                tsn,
                stream,
                ssn,
                51,
                new byte[] {1, 2});
        case 1 -> {
          List<SackChunk.GapBlock> gaps = new ArrayList<>();
          for (int i = 0; i < count; i++) {
            gaps.add(new SackChunk.GapBlock(1 + i * 3, 2 + i * 3));
          }
          yield new SackChunk(tsn, 1 << count, gaps, List.of(tsn));
        }
        case 2 ->
            new ForwardTsnChunk(tsn, List.of(new ForwardTsnChunk.StreamSequence(stream, ssn)));
        case 3 -> {
          int[] streams = new int[count];
          for (int i = 0; i < count; i++) {
            streams[i] = (stream + i) & 0xFFFF;
          }
          long seq = (peerRequestSeq + ssn % 4 - 1) & 0xFFFF_FFFFL;
          yield new ReconfigChunk(List.of(new ReconfigParam.OutgoingReset(seq, 0, tsn, streams)));
        }
        case 4 ->
            new ReconfigChunk(
                List.of(
                    new ReconfigParam.Response(
                        tsn,
                        ReconfigParam.Result.values()[
                            count % ReconfigParam.Result.values().length])));
        case 5 ->
            new ReconfigChunk(
                List.of(new ReconfigParam.OtherRequest(ReconfigParam.ADD_OUTGOING_STREAMS, tsn)));
        case 6 -> HeartbeatChunk.of(flag, new byte[] {(byte) count});
        case 7 -> new ShutdownChunk(tsn);
        case 9 ->
            new IDataChunk(
                flag,
                count % 2 == 0,
                count % 3 == 0,
                false,
                tsn,
                stream,
                ssn,
                count,
                new byte[] {3});
        case 10 -> new IForwardTsnChunk(tsn, List.of(new IForwardTsnChunk.Skip(stream, flag, ssn)));
        default -> new AbortChunk(false, List.of()); // with our tag, not reflected
      };
    }

    boolean mayEndOrMoveReceiving() {
      return kind == 0 || kind == 2 || kind == 7 || kind == 8 || kind == 9 || kind == 10;
    }
  }

  @Provide
  Arbitrary<List<Forgery>> forgeries() {
    Arbitrary<Integer> offset =
        Arbitraries.oneOf(
            Arbitraries.integers().between(-5, 20),
            Arbitraries.integers().between(Integer.MIN_VALUE, Integer.MAX_VALUE));
    return Combinators.combine(
            Arbitraries.frequency(
                net.jqwik.api.Tuple.of(3, 0),
                net.jqwik.api.Tuple.of(3, 1),
                net.jqwik.api.Tuple.of(2, 2),
                net.jqwik.api.Tuple.of(3, 3),
                net.jqwik.api.Tuple.of(2, 4),
                net.jqwik.api.Tuple.of(1, 5),
                net.jqwik.api.Tuple.of(1, 6),
                net.jqwik.api.Tuple.of(1, 7),
                net.jqwik.api.Tuple.of(1, 8),
                net.jqwik.api.Tuple.of(3, 9),
                net.jqwik.api.Tuple.of(2, 10)),
            offset,
            Arbitraries.integers().between(0, 8),
            Arbitraries.integers().between(0, 65535),
            Arbitraries.integers().between(0, 6),
            Arbitraries.of(true, false))
        .as(Forgery::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(12);
  }

  @Property(tries = 400)
  void forgeriesNeverThrowNorBlockTheRealPeer(
      @ForAll("forgeries") List<Forgery> forgeries, @ForAll long seed) {
    SctpSim sim = new SctpSim(seed, seed % 2 == 0, true).connect(); // DATA or I-DATA
    sim.a.association.send(1, 51, "before".getBytes(), false, sim.now);
    sim.run(100_000_000L);
    Association b = sim.b.association;
    long peerRequestSeq = b.peerCumulativeTsn() + 1; // a's first reset request number (RFC 6525)
    for (Forgery f : forgeries) {
      Chunk c = f.chunk(b.peerCumulativeTsn(), peerRequestSeq);
      byte[] packet = new SctpPacket(5000, 5000, b.localTag(), List.of(c)).toBytes();
      assertThat(b.receive(packet, 0, packet.length, sim.now))
          .as("reaches the chunk handlers")
          .isNotEqualTo("wrong verification tag");
      sim.run(5_000_000L);
    }
    if (sim.a.association.state() != Association.State.ESTABLISHED) {
      assertThat(forgeries).anyMatch(Forgery::mayEndOrMoveReceiving);
      return;
    }
    sim.a.association.send(2, 51, "after".getBytes(), true, sim.now);
    sim.run(5_000_000_000L);
    if (forgeries.stream().noneMatch(Forgery::mayEndOrMoveReceiving)) {
      assertThat(sim.b.events).contains("2:after");
    }
  }
}
