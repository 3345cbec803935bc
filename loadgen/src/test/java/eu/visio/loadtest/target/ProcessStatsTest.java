package eu.visio.loadtest.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProcessStatsTest {
  /**
   * A JVM's {@code /proc/PID/stat}, fields numbered as in proc(5): utime (14) and stime (15) are
   * counted, the children's cutime (16) and cstime (17) and the fields around them are not.
   */
  private static final String STAT =
      "12345 (java) S 1 12345 12345 0 -1 4194560 123456 0 12 0 "
          // 14 utime, 15 stime, 16 cutime, 17 cstime, 18 priority, 19 nice, 20 threads
          + "2534 311 7000 9000 20 0 45 0 98765 5012345678 98765 18446744073709551615 1 1 0 0 0 0"
          + " 0 4096 17663 0 0 0 17 1 0 0 0 0 0";

  @Test
  void cpuIsUtimePlusStimeInClockTicks() {
    assertThat(ProcessStats.cpuSecondsFromStat(STAT)).isCloseTo(28.45, within(1e-9));
  }

  @ParameterizedTest(name = "command name {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // A name with a space shifts naive field counting by one.
        "media worker",
        // A name with a ')' ends, if taken as the end, the name too early.
        "a) S 1 2 3 (b",
        "(",
        "''"
      })
  void fieldsAreCountedFromTheLastParenthesis(String comm) {
    String line = STAT.replace("(java)", "(" + comm + ")");
    assertThat(ProcessStats.cpuSecondsFromStat(line)).isCloseTo(28.45, within(1e-9));
  }

  @Test
  void aTruncatedStatLineIsRefused() {
    assertThatThrownBy(() -> ProcessStats.cpuSecondsFromStat("12345 (java) S 1 12345"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProcessStats.cpuSecondsFromStat("12345 java S 1"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** The lines around VmRSS in {@code /proc/PID/status}: only VmRSS is resident memory. */
  private static final String STATUS =
      """
      Name:\tjava
      State:\tS (sleeping)
      VmPeak:\t 9876543 kB
      VmSize:\t 5012345 kB
      VmHWM:\t  600000 kB
      VmRSS:\t  393216 kB
      RssAnon:\t  300000 kB
      Threads:\t45
      """;

  @Test
  void rssIsVmRssInMib() {
    assertThat(ProcessStats.rssMibFromStatus(STATUS)).isEqualTo(384.0);
  }

  @Test
  void aStatusWithoutVmRssIsRefused() {
    // Kernel threads and zombies have no VmRSS line.
    assertThatThrownBy(() -> ProcessStats.rssMibFromStatus("Name:\tkthreadd\nState:\tS\n"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProcessStats.rssMibFromStatus("VmRSS:\t 393216 MB\n"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readsThisProcess() {
    long pid = ProcessHandle.current().pid();
    // This JVM has compiled and run code, and holds a heap.
    assertThat(ProcessStats.cpuSeconds(pid)).isPositive();
    assertThat(ProcessStats.rssMib(pid)).isGreaterThan(10);
  }
}
