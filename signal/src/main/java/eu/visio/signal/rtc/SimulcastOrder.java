package eu.visio.signal.rtc;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Orders a publisher's simulcast rids from the lowest resolution up. The SDP does not say which
 * encoding is which size (RFC 8853 orders by preference only), so the conventional names decide:
 * LiveKit's and most applications' {@code q, h, f} (quarter, half, full) and {@code l, m, h} (low,
 * medium, high); any other naming keeps the offer's order, which is how browsers list {@code
 * sendEncodings} (lowest first in every SDK we know).
 */
public final class SimulcastOrder {
  private static final List<String> QHF = List.of("q", "h", "f");
  private static final List<String> LMH = List.of("l", "m", "h");

  private SimulcastOrder() {}

  public static List<String> lowestFirst(List<String> rids) {
    for (List<String> scheme : List.of(QHF, LMH)) {
      Set<String> names = Set.copyOf(scheme);
      if (rids.stream().allMatch(r -> names.contains(r.toLowerCase(Locale.ROOT)))) {
        return rids.stream()
            .sorted(
                java.util.Comparator.comparingInt(r -> scheme.indexOf(r.toLowerCase(Locale.ROOT))))
            .toList();
      }
    }
    return List.copyOf(rids);
  }
}
