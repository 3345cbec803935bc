package eu.visio.media.rtcp;

import eu.visio.media.rtp.SequenceNumbers;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Transport-wide congestion control feedback, RTPFB (PT=205) FMT=15
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1): for a range of transport-wide sequence
 * numbers, whether each packet arrived and, if so, its arrival time as a delta in 250 µs ticks from
 * the previous received packet (the first from the reference time).
 *
 * <pre>
 * sender SSRC | media SSRC | base seq (16) | status count (16) | ref time (24, x64ms) | fb count (8)
 * packet chunks (16 bits each) ... | recv deltas (8 or 16 bits each) ... | padding
 * </pre>
 *
 * <p>Chunks are run-length (0|symbol:2|run:13), 1-bit vectors (1|0|14 symbols) or 2-bit vectors
 * (1|1|7 symbols). Symbols: 0 not received, 1 received with a one-byte delta (0..63.75 ms), 2
 * received with a two-byte signed delta; 3 is reserved and rejected.
 *
 * <p>Parsing reads only the chunks and deltas the status count calls for and ignores what follows,
 * including the padding count: Chrome has been seen setting the P bit with padding that does not
 * add up, and libwebrtc and pion both tolerate it.
 *
 * @param referenceTime 24-bit reference time in multiples of 64 ms (raw, unsigned)
 * @param feedbackPacketCount 8-bit counter of feedback packets sent, to detect feedback loss
 * @param packets one status per sequence number from {@code baseSequence}, in order
 */
public record TransportCcFeedback(
    int senderSsrc,
    int mediaSsrc,
    int baseSequence,
    int referenceTime,
    int feedbackPacketCount,
    List<TransportCcFeedback.PacketStatus> packets)
    implements RtcpPacket {

  public static final int NOT_RECEIVED = 0;
  public static final int SMALL_DELTA = 1;
  public static final int LARGE_DELTA = 2;

  /** Microseconds per delta tick. */
  public static final int DELTA_TICK_US = 250;

  /** Microseconds per reference time unit. */
  public static final long REFERENCE_TIME_UNIT_US = 64_000;

  private static final int HEADER = 20;
  private static final int MAX_RUN = 0x1FFF;

  /**
   * The fate of one packet.
   *
   * @param sequence transport-wide sequence number
   * @param symbol {@link #NOT_RECEIVED}, {@link #SMALL_DELTA} or {@link #LARGE_DELTA}
   * @param deltaUs arrival delta in µs (a multiple of 250) from the previous received packet, or
   *     from the reference time for the first; 0 when not received
   */
  public record PacketStatus(int sequence, int symbol, int deltaUs) {
    public PacketStatus {
      if ((sequence & ~0xFFFF) != 0) {
        throw new IllegalArgumentException("sequence is 16-bit: " + sequence);
      }
      if (deltaUs % DELTA_TICK_US != 0) {
        throw new IllegalArgumentException("delta must be a multiple of 250 us: " + deltaUs);
      }
      int ticks = deltaUs / DELTA_TICK_US;
      boolean ok =
          switch (symbol) {
            case NOT_RECEIVED -> ticks == 0;
            case SMALL_DELTA -> ticks >= 0 && ticks <= 0xFF;
            case LARGE_DELTA -> ticks >= Short.MIN_VALUE && ticks <= Short.MAX_VALUE;
            default -> false;
          };
      if (!ok) {
        throw new IllegalArgumentException("bad symbol/delta: " + symbol + "/" + deltaUs);
      }
    }

    public boolean received() {
      return symbol != NOT_RECEIVED;
    }
  }

  /**
   * One packet's arrival as seen by the receiver.
   *
   * @param sequence transport-wide sequence number (16-bit)
   * @param arrivalUs arrival time in µs on the receiver's monotonic clock
   */
  public record Arrival(int sequence, long arrivalUs) {}

  public TransportCcFeedback {
    packets = List.copyOf(packets);
    if ((baseSequence & ~0xFFFF) != 0 || (referenceTime & ~0xFFFFFF) != 0) {
      throw new IllegalArgumentException("base sequence is 16-bit, reference time 24-bit");
    }
    if ((feedbackPacketCount & ~0xFF) != 0 || packets.size() > 0xFFFF) {
      throw new IllegalArgumentException("feedback count is 8-bit, status count 16-bit");
    }
    for (int i = 0; i < packets.size(); i++) {
      if (packets.get(i).sequence() != SequenceNumbers.add(baseSequence, i)) {
        throw new IllegalArgumentException("statuses must be consecutive from the base sequence");
      }
    }
  }

  /**
   * Builds feedback from arrivals: sequence numbers are ordered wrap-aware from the first arrival
   * given, gaps become "not received", the reference time is the 64 ms floor of the lowest
   * sequence's arrival and each delta is rounded to 250 µs against the running reconstructed time
   * so errors do not accumulate. Duplicates keep the first arrival. Throws IllegalArgumentException
   * when arrivals span more than 65535 sequence numbers or a gap between consecutive received
   * packets exceeds the ±8.19 s a large delta can carry: the caller sends feedback more often than
   * that, and splits it.
   */
  public static TransportCcFeedback fromArrivals(
      int senderSsrc, int mediaSsrc, int feedbackPacketCount, List<Arrival> arrivals) {
    if (arrivals.isEmpty()) {
      throw new IllegalArgumentException("no arrivals");
    }
    int anchor = arrivals.getFirst().sequence() & 0xFFFF;
    List<Arrival> sorted = new ArrayList<>(arrivals);
    sorted.sort(Comparator.comparingInt(a -> SequenceNumbers.diff(a.sequence(), anchor)));
    int base = sorted.getFirst().sequence() & 0xFFFF;
    int span = ((sorted.getLast().sequence() - base) & 0xFFFF) + 1;
    long first = sorted.getFirst().arrivalUs();
    int reference = (int) (Math.floorDiv(first, REFERENCE_TIME_UNIT_US) & 0xFFFFFF);
    long clock = Math.floorDiv(first, REFERENCE_TIME_UNIT_US) * REFERENCE_TIME_UNIT_US;
    List<PacketStatus> statuses = new ArrayList<>(span);
    int next = 0;
    for (Arrival a : sorted) {
      int index = (a.sequence() - base) & 0xFFFF;
      if (index < next) {
        continue; // duplicate
      }
      while (next < index) {
        statuses.add(new PacketStatus(SequenceNumbers.add(base, next++), NOT_RECEIVED, 0));
      }
      long ticks = Math.floorDiv(a.arrivalUs() - clock + DELTA_TICK_US / 2, DELTA_TICK_US);
      if (ticks < Short.MIN_VALUE || ticks > Short.MAX_VALUE) {
        throw new IllegalArgumentException("arrival delta too large for one feedback");
      }
      clock += ticks * DELTA_TICK_US;
      int symbol = ticks >= 0 && ticks <= 0xFF ? SMALL_DELTA : LARGE_DELTA;
      statuses.add(
          new PacketStatus(SequenceNumbers.add(base, next++), symbol, (int) ticks * DELTA_TICK_US));
    }
    return new TransportCcFeedback(
        senderSsrc, mediaSsrc, base, reference, feedbackPacketCount, statuses);
  }

  /**
   * Arrival time of each packet in µs on the sender of the feedback's clock (reference time plus
   * running deltas), or {@code Long.MIN_VALUE} for packets not received.
   */
  public long[] arrivalTimesUs() {
    long[] out = new long[packets.size()];
    long clock = referenceTime * REFERENCE_TIME_UNIT_US;
    for (int i = 0; i < out.length; i++) {
      PacketStatus s = packets.get(i);
      if (s.received()) {
        clock += s.deltaUs();
        out[i] = clock;
      } else {
        out[i] = Long.MIN_VALUE;
      }
    }
    return out;
  }

  static TransportCcFeedback parse(byte[] b, int off, int len) throws RtcpParseException {
    int end = off + len; // padding deliberately ignored, see class comment
    RtcpHeader.require(off, end, HEADER, "TWCC too short");
    int base = ByteIo.u16(b, off + 12);
    int count = ByteIo.u16(b, off + 14);
    int[] symbols = new int[count];
    int n = 0;
    int p = off + HEADER;
    while (n < count) {
      RtcpHeader.require(p, end, 2, "TWCC chunks truncated");
      int chunk = ByteIo.u16(b, p);
      p += 2;
      if ((chunk & 0x8000) == 0) {
        int symbol = (chunk >>> 13) & 3;
        int run = Math.min(chunk & MAX_RUN, count - n);
        if (symbol == 3 && run > 0) {
          throw new RtcpParseException("TWCC reserved status symbol");
        }
        for (int i = 0; i < run; i++) {
          symbols[n++] = symbol;
        }
      } else if ((chunk & 0x4000) == 0) {
        for (int i = 13; i >= 0 && n < count; i--) {
          symbols[n++] = (chunk >>> i) & 1;
        }
      } else {
        for (int i = 12; i >= 0 && n < count; i -= 2) {
          int symbol = (chunk >>> i) & 3;
          if (symbol == 3) {
            throw new RtcpParseException("TWCC reserved status symbol");
          }
          symbols[n++] = symbol;
        }
      }
    }
    List<PacketStatus> statuses = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int ticks = 0;
      if (symbols[i] == SMALL_DELTA) {
        RtcpHeader.require(p, end, 1, "TWCC deltas truncated");
        ticks = ByteIo.u8(b, p++);
      } else if (symbols[i] == LARGE_DELTA) {
        RtcpHeader.require(p, end, 2, "TWCC deltas truncated");
        ticks = (short) ByteIo.u16(b, p);
        p += 2;
      }
      statuses.add(
          new PacketStatus(SequenceNumbers.add(base, i), symbols[i], ticks * DELTA_TICK_US));
    }
    return new TransportCcFeedback(
        ByteIo.u32(b, off + 4),
        ByteIo.u32(b, off + 8),
        base,
        ByteIo.u24(b, off + 16),
        ByteIo.u8(b, off + 19),
        statuses);
  }

  @Override
  public int length() {
    return (contentLength() + 3) & ~3;
  }

  private int contentLength() {
    int deltas = 0;
    for (PacketStatus s : packets) {
      deltas += s.symbol(); // 0, 1 or 2 bytes: the symbol value is the delta size
    }
    return HEADER + 2 * writeChunks(null, 0) + deltas;
  }

  /**
   * Pads with zeros and a final count byte, setting P, when the content is not word aligned (as
   * libwebrtc does), so the output always satisfies RFC 3550 §6.4.1 padding rules.
   */
  @Override
  public int write(byte[] b, int off) {
    int content = contentLength();
    int length = (content + 3) & ~3;
    RtcpHeader.write(b, off, length != content, RtcpHeader.FMT_TWCC, RtcpHeader.RTPFB, length);
    ByteIo.put32(b, off + 4, senderSsrc);
    ByteIo.put32(b, off + 8, mediaSsrc);
    ByteIo.put16(b, off + 12, baseSequence);
    ByteIo.put16(b, off + 14, packets.size());
    ByteIo.put24(b, off + 16, referenceTime);
    b[off + 19] = (byte) feedbackPacketCount;
    int p = off + HEADER;
    p += 2 * writeChunks(b, p);
    for (PacketStatus s : packets) {
      int ticks = s.deltaUs() / DELTA_TICK_US;
      if (s.symbol() == SMALL_DELTA) {
        b[p++] = (byte) ticks;
      } else if (s.symbol() == LARGE_DELTA) {
        ByteIo.put16(b, p, ticks);
        p += 2;
      }
    }
    while (p < off + length) {
      b[p++] = 0;
    }
    if (length != content) {
      b[off + length - 1] = (byte) (length - content);
    }
    return length;
  }

  /**
   * Encodes the status chunks at {@code b[p]} (or only counts them when {@code b} is null) and
   * returns how many. Greedy: a run of 14+ equal symbols, or equal symbols to the end, becomes a
   * run-length chunk; otherwise a 1-bit vector takes the next 14 when none needs a large delta,
   * else a 2-bit vector takes the next 7. Vector slots past the last status are left 0.
   */
  private int writeChunks(byte[] b, int p) {
    int n = packets.size();
    int chunks = 0;
    int i = 0;
    while (i < n) {
      int symbol = packets.get(i).symbol();
      int run = 1;
      while (i + run < n && run < MAX_RUN && packets.get(i + run).symbol() == symbol) {
        run++;
      }
      int chunk;
      if (run >= 14 || i + run == n) {
        chunk = (symbol << 13) | run;
        i += run;
      } else if (noLargeDelta(i, Math.min(n, i + 14))) {
        chunk = 0x8000;
        for (int k = 0; k < 14 && i < n; k++, i++) {
          chunk |= packets.get(i).symbol() << (13 - k);
        }
      } else {
        chunk = 0xC000;
        for (int k = 0; k < 7 && i < n; k++, i++) {
          chunk |= packets.get(i).symbol() << (12 - 2 * k);
        }
      }
      if (b != null) {
        ByteIo.put16(b, p + 2 * chunks, chunk);
      }
      chunks++;
    }
    return chunks;
  }

  private boolean noLargeDelta(int from, int to) {
    for (int i = from; i < to; i++) {
      if (packets.get(i).symbol() == LARGE_DELTA) {
        return false;
      }
    }
    return true;
  }
}
