package eu.visio.media.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The single-producer single-consumer hand-off ring between media workers. */
class HandoffRingTest {
  private static final InetSocketAddress A = InetSocketAddress.createUnresolved("a", 1);
  private static final InetSocketAddress B = InetSocketAddress.createUnresolved("b", 2);

  /** One drained datagram, copied out of its slot (compared by its fields, never as a whole). */
  @SuppressWarnings("ArrayRecordComponent")
  record Got(byte[] bytes, InetSocketAddress remote, String tag) {}

  private static List<Got> drainAll(HandoffRing<String> ring) {
    List<Got> got = new ArrayList<>();
    ring.drain(
        (buf, off, len, remote, tag) ->
            got.add(new Got(Arrays.copyOfRange(buf, off, off + len), remote, tag)));
    return got;
  }

  @Test
  void deliversBytesSenderAndTagInOrder() {
    HandoffRing<String> ring = new HandoffRing<>(4, 16);
    byte[] rtp = {(byte) 0x80, 96, 0, 1}; // RTP version 2, PT 96, sequence number 1
    byte[] stun = {0, 1, 0, 0}; // Binding request, no attributes
    byte[] source = new byte[20];
    System.arraycopy(stun, 0, source, 7, stun.length);

    assertThat(ring.offer(rtp, 0, rtp.length, A, "publisher")).isTrue();
    assertThat(ring.offer(source, 7, stun.length, B, "viewer")).isTrue();

    List<Got> got = drainAll(ring);
    assertThat(got).hasSize(2);
    assertThat(got.get(0).bytes()).isEqualTo(rtp);
    assertThat(got.get(0).remote()).isSameAs(A);
    assertThat(got.get(0).tag()).isEqualTo("publisher");
    assertThat(got.get(1).bytes()).isEqualTo(stun);
    assertThat(got.get(1).remote()).isSameAs(B);
    assertThat(got.get(1).tag()).isEqualTo("viewer");
    assertThat(drainAll(ring)).as("a second drain").isEmpty();
  }

  @Test
  void theSourceMayBeReusedAtOnceAndTheConsumerMayWriteItsSlot() {
    HandoffRing<String> ring = new HandoffRing<>(2, 8);
    byte[] b = {1, 2, 3};
    ring.offer(b, 0, 3, A, "t");
    b[0] = 9; // the producer's receive buffer takes the next datagram
    ring.offer(b, 0, 3, A, "t");
    List<byte[]> seen = new ArrayList<>();
    ring.drain(
        (buf, off, len, remote, tag) -> {
          seen.add(Arrays.copyOfRange(buf, off, off + len));
          // SRTP decrypts in place and may grow the packet up to the slot's end.
          Arrays.fill(buf, off, off + 8, (byte) 0x55);
        });
    assertThat(seen).containsExactly(new byte[] {1, 2, 3}, new byte[] {9, 2, 3});
  }

  @Test
  void aFullRingRefusesAndCountsUntilTheConsumerFreesSlots() {
    HandoffRing<String> ring = new HandoffRing<>(4, 4);
    byte[] b = new byte[1];
    for (int i = 0; i < 4; i++) {
      b[0] = (byte) i;
      assertThat(ring.offer(b, 0, 1, A, "t")).as("offer %d", i).isTrue();
    }
    b[0] = 4;
    assertThat(ring.offer(b, 0, 1, A, "t")).isFalse();
    assertThat(ring.offer(b, 0, 1, A, "t")).isFalse();
    assertThat(ring.refused()).isEqualTo(2);

    assertThat(drainAll(ring)).extracting(g -> (int) g.bytes()[0]).containsExactly(0, 1, 2, 3);
    // Indices wrap: the next four land in the freed slots.
    for (int i = 5; i < 9; i++) {
      b[0] = (byte) i;
      assertThat(ring.offer(b, 0, 1, A, "t")).isTrue();
    }
    assertThat(drainAll(ring)).extracting(g -> (int) g.bytes()[0]).containsExactly(5, 6, 7, 8);
    assertThat(ring.refused()).isEqualTo(2);
  }

  @Test
  void aDatagramLargerThanASlotIsABug() {
    HandoffRing<String> ring = new HandoffRing<>(2, 8);
    assertThatThrownBy(() -> ring.offer(new byte[9], 0, 9, A, "t"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ring.offer(new byte[8], 0, 8, A, "t")).isTrue();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 3, 6, -4})
  void capacityMustBeAPowerOfTwo(int capacity) {
    assertThatThrownBy(() -> new HandoffRing<String>(capacity, 8))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Any interleaving of offers and drains on one thread behaves as a FIFO queue of the ring's
   * capacity that refuses (and counts) what does not fit.
   */
  @Property(tries = 500)
  void behavesAsABoundedFifo(
      @ForAll @IntRange(min = 0, max = 3) int capacityLog2,
      @ForAll @Size(max = 60) List<@IntRange(min = -1, max = 6) Integer> ops) {
    int capacity = 1 << capacityLog2;
    HandoffRing<String> ring = new HandoffRing<>(capacity, 6);
    ArrayDeque<byte[]> model = new ArrayDeque<>();
    long refused = 0;
    int n = 0;
    for (int op : ops) {
      if (op < 0) {
        List<Got> got = drainAll(ring);
        assertThat(got).extracting(Got::bytes).containsExactlyElementsOf(model);
        model.clear();
      } else {
        byte[] d = new byte[op];
        Arrays.fill(d, (byte) n++);
        boolean accepted = ring.offer(d, 0, d.length, A, "t");
        assertThat(accepted).isEqualTo(model.size() < capacity);
        if (accepted) {
          model.add(d);
        } else {
          refused++;
        }
      }
    }
    assertThat(ring.refused()).isEqualTo(refused);
  }

  /**
   * A producer and a consumer thread at full speed: every datagram the producer did not see refused
   * arrives intact, in order, with its own address and tag; the refused ones are exactly the gaps.
   * The consumer scribbles over each slot after checking it, so a producer writing into a slot
   * still held shows up as a corrupted datagram.
   */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  @SuppressWarnings("ReferenceEquality") // the address must be the very object handed in
  void twoThreadsLoseNothingButWhatWasRefused() throws Exception {
    int total = 300_000;
    int slot = 64;
    HandoffRing<Long> ring = new HandoffRing<>(64, slot);
    InetSocketAddress[] remotes = new InetSocketAddress[7];
    for (int i = 0; i < remotes.length; i++) {
      remotes[i] = InetSocketAddress.createUnresolved("peer" + i, 5000 + i);
    }
    AtomicReference<Throwable> producerFailure = new AtomicReference<>();
    AtomicLong producerRefused = new AtomicLong();
    Thread producer =
        Thread.ofPlatform()
            .name("ring-producer")
            .start(
                () -> {
                  try {
                    byte[] buf = new byte[slot];
                    long refused = 0;
                    for (long seq = 0; seq < total; seq++) {
                      int len = fill(buf, seq, slot);
                      if (!ring.offer(buf, 0, len, remotes[(int) (seq % remotes.length)], seq)) {
                        refused++;
                      }
                      // Sometimes pause so the ring drains empty and the consumer catches up.
                      if (seq % 4096 == 0) {
                        Thread.onSpinWait();
                      }
                    }
                    producerRefused.set(refused);
                  } catch (Throwable t) {
                    producerFailure.set(t);
                  }
                });

    long[] next = {0};
    long[] received = {0};
    String[] corruption = {null};
    HandoffRing.Consumer<Long> check =
        (buf, off, len, remote, seq) -> {
          if (corruption[0] != null) {
            return;
          }
          byte[] expected = new byte[slot];
          int expectedLen = fill(expected, seq, slot);
          if (seq < next[0]
              || len != expectedLen
              || !Arrays.equals(buf, off, off + len, expected, 0, len)
              || remote != remotes[(int) (seq % remotes.length)]) {
            corruption[0] = "datagram " + seq + " (expected at least " + next[0] + ")";
          }
          next[0] = seq + 1;
          received[0]++;
          Arrays.fill(buf, off, off + slot, (byte) 0xEE);
        };
    while (producer.isAlive()) {
      ring.drain(check);
    }
    ring.drain(check);
    producer.join();

    assertThat(producerFailure.get()).isNull();
    assertThat(corruption[0]).isNull();
    assertThat(ring.refused()).isEqualTo(producerRefused.get());
    assertThat(received[0] + producerRefused.get()).isEqualTo(total);
    assertThat(received[0]).as("datagrams that made it").isPositive();
  }

  /** Every packet that crosses workers goes through here: in steady state nothing is allocated. */
  @Test
  void offerAndDrainAllocateNothing() {
    HandoffRing<String> ring = new HandoffRing<>(64, UdpMediaPort.MAX_DATAGRAM);
    byte[] datagram = new byte[1200];
    long[] sum = {0};
    HandoffRing.Consumer<String> consumer = (buf, off, len, remote, tag) -> sum[0] += len;
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().threadId();
    int batches = 2_000;
    for (int i = 0; i < batches; i++) { // warm up: JIT bookkeeping allocates once
      cycle(ring, datagram, consumer);
    }
    // Best of up to 20 rounds: code not compiled yet on a loaded machine may allocate.
    long allocated = Long.MAX_VALUE;
    for (int round = 0; round < 20 && allocated >= batches; round++) {
      long before = threads.getThreadAllocatedBytes(tid);
      for (int i = 0; i < batches; i++) {
        cycle(ring, datagram, consumer);
      }
      allocated = Math.min(allocated, threads.getThreadAllocatedBytes(tid) - before);
    }
    // 32 datagrams a batch: under one byte per batch, where one object per datagram is 16 or more.
    assertThat(allocated).isLessThan(batches);
    assertThat(sum[0]).isPositive();
  }

  private static void cycle(HandoffRing<String> ring, byte[] d, HandoffRing.Consumer<String> c) {
    for (int k = 0; k < 32; k++) {
      ring.offer(d, 0, d.length, A, "endpoint");
    }
    ring.drain(c);
  }

  /** Length 1..slot and bytes that depend on the sequence number and position. */
  private static int fill(byte[] buf, long seq, int slot) {
    int len = 1 + (int) (seq * 31 % slot);
    for (int i = 0; i < len; i++) {
      buf[i] = (byte) (seq * 7 + i * 13L + (seq >>> 8));
    }
    return len;
  }
}
