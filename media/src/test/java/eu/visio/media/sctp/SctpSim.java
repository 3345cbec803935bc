package eu.visio.media.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Two associations joined by a simulated network on a virtual clock: each packet is lost with
 * probability {@code loss}, else arrives after {@code delay} plus up to {@code jitter} (so packets
 * overtake each other). Time jumps from event to event: the next arrival or the next timer.
 */
final class SctpSim {
  /** One end: its association and everything it reported. */
  static final class End implements Association.Listener {
    final String name;
    final Association association;
    final List<String> events = new ArrayList<>();
    final List<byte[]> payloads = new ArrayList<>();
    final List<Integer> streams = new ArrayList<>();
    SctpSim sim;
    String closed;

    End(String name, boolean interleaving) {
      this.name = name;
      this.association =
          new Association(
              Association.Config.webRtc(5000, 5000).withInterleaving(interleaving), this);
    }

    @Override
    public void onPacket(byte[] packet) {
      sim.send(this, packet);
    }

    @Override
    public void onMessage(int streamId, long ppid, boolean unordered, byte[] payload) {
      streams.add(streamId);
      payloads.add(payload);
      events.add(
          streamId + ":" + (payload.length < 64 ? new String(payload) : payload.length + " bytes"));
    }

    @Override
    public void onClosed(String reason) {
      closed = reason;
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
      events.add("out-reset-failed " + java.util.Arrays.toString(streams) + " " + reason);
    }
  }

  private record InFlight(long at, long order, End to, byte[] packet) {}

  final End a;
  final End b;
  long now = 1_000_000_000L;
  double loss;
  long delay = 10_000_000L;
  long jitter;

  /** Drops every packet that passes this filter (after the random loss). */
  java.util.function.Predicate<byte[]> drop = p -> false;

  int sent;
  int lost;
  private final Random random;
  private long order;
  private final PriorityQueue<InFlight> network =
      new PriorityQueue<>(
          (x, y) -> x.at != y.at ? Long.compare(x.at, y.at) : Long.compare(x.order, y.order));

  SctpSim(long seed) {
    this(seed, true, true);
  }

  /** With I-DATA offered by a, b, or both (only then used). */
  SctpSim(long seed, boolean aInterleaves, boolean bInterleaves) {
    a = new End("a", aInterleaves);
    b = new End("b", bInterleaves);
    random = new Random(seed);
    a.sim = this;
    b.sim = this;
  }

  void send(End from, byte[] packet) {
    sent++;
    if (random.nextDouble() < loss || drop.test(packet)) {
      lost++;
      return;
    }
    long at = now + delay + (jitter > 0 ? (long) (random.nextDouble() * jitter) : 0);
    network.add(new InFlight(at, order++, from == a ? b : a, packet));
  }

  /** Connects (a starts) and runs until both are established. */
  SctpSim connect() {
    a.association.connect(now);
    runUntil(
        () ->
            a.association.state() == Association.State.ESTABLISHED
                && b.association.state() == Association.State.ESTABLISHED,
        60_000_000_000L);
    return this;
  }

  /** Runs events until {@code done} holds or {@code maxNanos} of virtual time pass. */
  boolean runUntil(java.util.function.BooleanSupplier done, long maxNanos) {
    long end = now + maxNanos;
    while (!done.getAsBoolean()) {
      long next = end;
      InFlight head = network.peek();
      if (head != null) {
        next = Math.min(next, head.at);
      }
      for (End e : List.of(a, b)) {
        long d = e.association.deadline();
        if (d >= 0) {
          next = Math.min(next, Math.max(d, now));
        }
      }
      if (next >= end) {
        now = end;
        return done.getAsBoolean();
      }
      now = next;
      while (!network.isEmpty() && network.peek().at <= now) {
        InFlight p = network.poll();
        String dropped = p.to.association.receive(p.packet, 0, p.packet.length, now);
        assertThat(dropped).as("packet accepted by " + p.to.name).isNull();
      }
      for (End e : List.of(a, b)) {
        long d = e.association.deadline();
        if (d >= 0 && d <= now) {
          e.association.tick(now);
        }
      }
    }
    return true;
  }

  void run(long nanos) {
    runUntil(() -> false, nanos);
  }
}
