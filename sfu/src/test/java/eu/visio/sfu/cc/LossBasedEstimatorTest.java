package eu.visio.sfu.cc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LossBasedEstimatorTest {

  private static PacketResults results(int total, int lost) {
    PacketResults r = new PacketResults(total);
    for (int i = 0; i < total; i++) {
      r.add(i, i, i < lost ? PacketResults.LOST : i, 1000, false);
    }
    return r;
  }

  @ParameterizedTest(name = "{0}/100 lost, cap {1}, estimate {2} -> {3}, cap {4}")
  @CsvSource({
    // lost, cap before (-1 none), estimate, action, cap after (-1 none)
    "0,  -1,      1000000, INCREASE, -1",
    "1,  -1,      1000000, INCREASE, -1",
    "1,  750000,  750000,  INCREASE, 787500",
    "1,  960000,  960000,  INCREASE, -1", // grows past the delay-based target (1 Mbit/s): lifts
    "2,  -1,      1000000, HOLD,     1000000",
    "5,  -1,      1000000, HOLD,     1000000",
    "10, 900000,  900000,  HOLD,     900000",
    "11, -1,      1000000, DECREASE, 945000",
    "20, -1,      1000000, DECREASE, 900000",
    "50, -1,      1000000, DECREASE, 750000",
  })
  void followsTheDraftsThresholds(
      int lost, long capBefore, long estimate, LossBasedEstimator.Action action, long capAfter) {
    LossBasedEstimator e = new LossBasedEstimator();
    if (capBefore > 0) {
      // Establish a cap with a decrease, then check the interval under test.
      e.onResults(results(100, 50), capBefore * 4 / 3, 1_000_000, 0);
      assertThat(e.cap()).isEqualTo(capBefore);
    }
    assertThat(e.onResults(results(100, lost), estimate, 1_000_000, 1)).isEqualTo(action);
    assertThat(e.cap()).isEqualTo(capAfter < 0 ? LossBasedEstimator.UNLIMITED : capAfter);
  }

  @ParameterizedTest(name = "{0} packets over {1} ms -> closes {2}")
  @CsvSource({"99, 500, false", "100, 0, true", "19, 2000, false", "20, 1000, true"})
  void waitsForEnoughPacketsOrTime(int packets, long ms, boolean closes) {
    LossBasedEstimator e = new LossBasedEstimator();
    e.onResults(new PacketResults(1), 1_000_000, 1_000_000, 0); // opens the interval
    var action = e.onResults(results(packets, packets / 2), 1_000_000, 1_000_000, ms * 1_000_000);
    assertThat(action != LossBasedEstimator.Action.NONE).isEqualTo(closes);
  }
}
