package eu.visio.loadtest.target;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's CPU time and resident memory from Linux's {@code /proc}: what a server process used,
 * read from outside it, with the bots' own work never counted.
 */
public final class ProcessStats {
  /**
   * {@code USER_HZ}, the unit of {@code utime} and {@code stime}: 100 on every Linux architecture
   * the JDK runs on (the kernel fixes it for user space, whatever its own tick).
   */
  static final int CLOCK_TICKS_PER_SECOND = 100;

  private ProcessStats() {}

  /** CPU seconds (user and system, all threads) the process {@code pid} has used so far. */
  public static double cpuSeconds(long pid) {
    return cpuSecondsFromStat(read(Path.of("/proc", Long.toString(pid), "stat")));
  }

  /** Resident memory of {@code pid} in MiB ({@code VmRSS}). */
  public static double rssMib(long pid) {
    return rssMibFromStatus(read(Path.of("/proc", Long.toString(pid), "status")));
  }

  /**
   * utime + stime of a {@code /proc/PID/stat} line, in seconds. The command name (field 2) is in
   * parentheses and may itself hold spaces and parentheses, so fields are counted from the last
   * {@code ')'}: after it come state (field 3) ... utime (14), stime (15).
   */
  static double cpuSecondsFromStat(String line) {
    int close = line.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("not a /proc/PID/stat line: no command name");
    }
    String[] f = line.substring(close + 1).trim().split("\\s+");
    if (f.length < 13) {
      throw new IllegalArgumentException("not a /proc/PID/stat line: " + f.length + " fields");
    }
    long ticks = Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]);
    return (double) ticks / CLOCK_TICKS_PER_SECOND;
  }

  /** The {@code VmRSS: N kB} line of {@code /proc/PID/status}, in MiB. */
  static double rssMibFromStatus(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("VmRSS:")) {
        String[] f = line.substring("VmRSS:".length()).trim().split("\\s+");
        if (f.length != 2 || !f[1].equals("kB")) {
          throw new IllegalArgumentException("unexpected VmRSS line: " + line);
        }
        return Long.parseLong(f[0]) / 1024.0;
      }
    }
    throw new IllegalArgumentException("no VmRSS line (a kernel thread, or a zombie)");
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p + " (has the server exited?)", e);
    }
  }
}
