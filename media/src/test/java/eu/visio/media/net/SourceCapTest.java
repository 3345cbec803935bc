package eu.visio.media.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SourceCapTest {
  private static final InetAddress A = address(192, 0, 2, 1);
  private static final InetAddress B = address(192, 0, 2, 2);

  @Test
  void anAddressHoldsAtMostTheLimitAndOthersAreUnaffected() {
    SourceCap cap = new SourceCap(2);
    assertThat(cap.tryAcquire(A)).isTrue();
    assertThat(cap.tryAcquire(A)).isTrue();
    assertThat(cap.tryAcquire(A)).as("third from A").isFalse();
    assertThat(cap.held(A)).as("a refusal takes nothing").isEqualTo(2);
    assertThat(cap.tryAcquire(B)).as("B has its own places").isTrue();

    cap.release(A);
    assertThat(cap.tryAcquire(A)).as("a released place is free again").isTrue();
  }

  @Test
  void releasedAddressesLeaveNoEntry() {
    SourceCap cap = new SourceCap(4);
    cap.tryAcquire(A);
    cap.tryAcquire(B);
    cap.release(A);
    cap.release(B);
    cap.release(B); // one release too many is harmless

    assertThat(cap.sources()).isZero();
    assertThat(cap.held(B)).isZero();
  }

  @Test
  void theLimitIsPositive() {
    assertThatThrownBy(() -> new SourceCap(0)).isInstanceOf(IllegalArgumentException.class);
  }

  /** Any interleaving of takes and releases: never above the limit, and the count is exact. */
  @Property
  void neverAboveTheLimit(
      @ForAll @IntRange(min = 1, max = 5) int limit, @ForAll @Size(max = 60) List<Boolean> takes) {
    SourceCap cap = new SourceCap(limit);
    List<Boolean> held = new ArrayList<>();
    for (boolean take : takes) {
      if (take) {
        boolean ok = cap.tryAcquire(A);
        assertThat(ok).isEqualTo(held.size() < limit);
        if (ok) {
          held.add(true);
        }
      } else if (!held.isEmpty()) {
        cap.release(A);
        held.removeLast();
      }
      assertThat(cap.held(A)).isEqualTo(held.size()).isLessThanOrEqualTo(limit);
    }
  }

  private static InetAddress address(int a, int b, int c, int d) {
    try {
      return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
