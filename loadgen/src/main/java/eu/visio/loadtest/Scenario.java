package eu.visio.loadtest;

import eu.visio.loadtest.bot.MediaConfig;
import eu.visio.loadtest.target.BotPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One of LiveKit's published benchmark shapes (docs/BENCHMARKS.md), sized by the options:
 *
 * <ul>
 *   <li>{@code audio}: {@code publishers} speakers send audio only; {@code subscribers} listeners
 *       receive every speaker;
 *   <li>{@code meeting}: {@code publishers} participants each send audio and simulcast video and
 *       receive everyone else (N by N); subscribers beyond them only watch;
 *   <li>{@code livestream}: one publisher of audio and video, {@code subscribers} viewers.
 * </ul>
 *
 * @param layers simulcast layers each video publisher sends
 * @param layer the layer subscribers ask for (0 low, 1 medium, 2 high)
 * @param bitrates bitrate of each layer, bit/s
 */
public record Scenario(
    String name,
    int publishers,
    int subscribers,
    Duration duration,
    int layers,
    int layer,
    List<Integer> bitrates) {

  public static final List<String> NAMES = List.of("audio", "meeting", "livestream");

  public Scenario {
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException("unknown scenario " + name + "; one of " + NAMES);
    }
    if (publishers < 1 || subscribers < 0) {
      throw new IllegalArgumentException("at least one publisher");
    }
    if (layers < 1 || layers > 3 || layer < 0 || layer >= layers) {
      throw new IllegalArgumentException("1-3 layers, and the wanted layer among them");
    }
    bitrates = List.copyOf(bitrates);
  }

  /** Publishers by default: 10 speakers, a 10-person meeting, 1 streamer. */
  static int defaultPublishers(String name) {
    return switch (name) {
      case "audio", "meeting" -> 10;
      default -> 1;
    };
  }

  /** Subscribers by default: 100 listeners, the meeting's own, 100 viewers. */
  static int defaultSubscribers(String name, int publishers) {
    return name.equals("meeting") ? publishers : 100;
  }

  boolean video() {
    return !name.equals("audio");
  }

  /** The room every bot joins. */
  String room() {
    return "loadtest-" + name;
  }

  /** Subscribers as the report counts them: in a meeting, everyone who receives. */
  int reportedSubscribers() {
    return name.equals("meeting") ? Math.max(publishers, subscribers) : subscribers;
  }

  /** What each publisher sends. */
  MediaConfig media() {
    return video()
        ? new MediaConfig(true, true, bitrates.subList(0, layers), 80, 90, 1200)
        : MediaConfig.audioOnly();
  }

  /** Every bot of a run, publishers first (their index is their position). */
  List<BotPlan> plans() {
    List<BotPlan> plans = new ArrayList<>();
    boolean v = video();
    int pubs = name.equals("livestream") ? 1 : publishers;
    boolean meeting = name.equals("meeting");
    for (int i = 0; i < pubs; i++) {
      int others = meeting ? pubs - 1 : 0;
      plans.add(new BotPlan(room(), "pub-" + i, true, v, layers, others, v ? others : 0, layer));
    }
    int viewers = meeting ? Math.max(0, subscribers - pubs) : subscribers;
    for (int i = 0; i < viewers; i++) {
      plans.add(new BotPlan(room(), "sub-" + i, false, false, layers, pubs, v ? pubs : 0, layer));
    }
    return plans;
  }

  /** "30s", "2m", "500ms" or a number of seconds. */
  static Duration parseDuration(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    if (t.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
    }
    if (t.endsWith("m")) {
      return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
    }
    if (t.endsWith("s")) {
      t = t.substring(0, t.length() - 1);
    }
    return Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
  }
}
