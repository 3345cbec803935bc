package eu.visio.sfu.audio;

import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active speakers of one room, from the RFC 6464 audio levels of its audio tracks: a ranked list of
 * who is speaking now (with a 0..1 level for LiveKit's {@code SpeakerInfo.level}) and one dominant
 * speaker (who gets the stage).
 *
 * <p>Per packet, {@link #onAudioLevel} only accumulates, in O(1) and without allocating: the level
 * in -dBov becomes a score in 0..1 (linear in dB between {@link Config#silentDbov} and 0 dBov),
 * weighted by the time the packet stands for (the gap since the previous one, capped), and a
 * <em>voiced</em> frame extends the track's current <em>speech run</em>. A frame is voiced when it
 * is at least as loud as {@link Config#voicedDbov} and {@link Config#snrDb} louder than the track's
 * own noise floor, which follows quiet frames within a few hundred milliseconds and loud ones only
 * over tens of seconds (minimum statistics, in the spirit of Jitsi's per-speaker minimum level): a
 * participant next to a fan does not speak forever. Every 100-300 ms, {@link #tick} turns the
 * accumulated score into the interval's average and smooths it with an asymmetric exponential
 * average (fast attack, slow release), then applies three hysteresis rules:
 *
 * <ul>
 *   <li><b>Entering</b> the list takes {@link Config#minSpeechNanos} of voiced audio whose gaps are
 *       all shorter than {@link Config#gapNanos}: a cough (one burst under ~300 ms) never enters,
 *       like LiveKit's minimum active percentile of its observe window.
 *   <li><b>Leaving</b> the list takes {@link Config#hangoverNanos} without a voiced frame, so a
 *       speaker keeps the stage through the pauses between words. With Opus DTX no packets arrive
 *       in silence; time passing without packets counts as silence, so the score decays anyway.
 *   <li><b>Taking over</b> from the dominant speaker takes being louder by {@link
 *       Config#takeoverRatio} for {@link Config#takeoverNanos} in a row: the spirit of the
 *       immediate/medium/long comparison of Volfin and Cohen's "Dominant Speaker Identification for
 *       Multipoint Videoconferencing" (as in Jitsi), reduced to two time scales. The stage goes
 *       straight to the loudest active speaker only when the dominant one stops speaking.
 * </ul>
 *
 * The ranking keeps its previous order unless a speaker is louder than the one above by {@link
 * Config#rankMargin}, so two speakers at similar levels do not swap at every tick, and {@link
 * #tick} reports a change only when the set or the order of speakers (or the dominant) actually
 * changed: signalling is sent on change, not on every level wobble.
 *
 * <p>Tracks are identified by small int handles from {@link #add}; all state lives in primitive
 * arrays of a fixed capacity, so memory is bounded and nothing is boxed. Not thread-safe: owned by
 * the room's media thread. Times are caller-supplied nanoseconds from one monotonic clock.
 */
public final class SpeakerDetector {
  private static final Logger log = LoggerFactory.getLogger(SpeakerDetector.class);

  /** {@link #tick} flag: the set or order of active speakers changed. */
  public static final int SPEAKERS_CHANGED = 1;

  /** {@link #tick} flag: the dominant speaker changed (possibly to {@link #NONE}). */
  public static final int DOMINANT_CHANGED = 2;

  /** No handle: returned by {@link #dominant} when nobody speaks, by {@link #add} when full. */
  public static final int NONE = -1;

  /** Time credited to a track's first packet: the usual 20 ms Opus frame. */
  private static final long NOMINAL_FRAME_NANOS = 20_000_000L;

  /**
   * Most time one packet may stand for: three 20 ms frames (losses) or one 60 ms frame. A packet
   * after a DTX pause must not be credited with the whole pause.
   */
  private static final long MAX_FRAME_NANOS = 60_000_000L;

  /** Added to the ranking margin so that near-silent levels do not swap on tiny differences. */
  private static final double RANK_FLOOR = 0.01;

  private static final long NEVER = Long.MIN_VALUE;

  /** Time constant of the noise floor following quieter frames (a gap between words suffices). */
  private static final double FLOOR_UP_NANOS = 400e6;

  /**
   * Time constant of the noise floor following louder frames: longer than a sentence, so that only
   * sound with no quieter moments for several seconds (a fan, a hum) becomes the floor.
   */
  private static final double FLOOR_DOWN_NANOS = 5e9;

  /**
   * Tuning. Defaults suit 20 ms Opus from browsers and ticks every 100-300 ms.
   *
   * @param voicedDbov a frame at or below this level (louder) counts as voiced, if the sender's V
   *     bit agrees (see {@link #onAudioLevel}); LiveKit uses 35, quiet microphones speak near 45
   * @param silentDbov levels at or above this score 0; 0 dBov scores 1, linear in between
   * @param snrDb how much louder than the track's noise floor a voiced frame must be; 0 ignores the
   *     floor
   * @param minSpeechNanos voiced time needed to enter the list (and so to take the stage)
   * @param gapNanos a longer gap between voiced frames starts a new speech run
   * @param hangoverNanos time without voiced frames after which a speaker leaves the list
   * @param takeoverNanos how long a challenger must stay louder before it takes the stage
   * @param takeoverRatio how much louder (level ratio) a challenger must be, &gt;= 1
   * @param rankMargin relative margin by which a speaker must be louder to move up the list
   * @param attackNanos time constant of the level's rise
   * @param releaseNanos time constant of the level's decay, longer than the attack
   * @param maxSpeakers most speakers listed
   */
  public record Config(
      int voicedDbov,
      int silentDbov,
      int snrDb,
      long minSpeechNanos,
      long gapNanos,
      long hangoverNanos,
      long takeoverNanos,
      double takeoverRatio,
      double rankMargin,
      long attackNanos,
      long releaseNanos,
      int maxSpeakers) {

    public static final Config DEFAULT =
        new Config(
            45,
            72,
            10,
            300_000_000L,
            400_000_000L,
            1_000_000_000L,
            300_000_000L,
            1.25,
            0.15,
            150_000_000L,
            600_000_000L,
            16);

    public Config {
      if (voicedDbov < 0 || voicedDbov > AudioLevel.SILENT_DBOV) {
        throw new IllegalArgumentException("voicedDbov " + voicedDbov);
      }
      if (silentDbov <= 0 || silentDbov > AudioLevel.SILENT_DBOV) {
        throw new IllegalArgumentException("silentDbov " + silentDbov);
      }
      if (snrDb < 0 || snrDb > AudioLevel.SILENT_DBOV) {
        throw new IllegalArgumentException("snrDb " + snrDb);
      }
      if (minSpeechNanos < 0
          || gapNanos <= 0
          || hangoverNanos <= 0
          || takeoverNanos < 0
          || attackNanos <= 0
          || releaseNanos <= 0) {
        throw new IllegalArgumentException("durations must be positive");
      }
      if (!(takeoverRatio >= 1) || !(rankMargin >= 0) || Double.isInfinite(rankMargin)) {
        throw new IllegalArgumentException("takeoverRatio >= 1 and rankMargin >= 0 required");
      }
      if (maxSpeakers < 1) {
        throw new IllegalArgumentException("maxSpeakers " + maxSpeakers);
      }
    }
  }

  private final Config config;
  private final double[] scoreOfDbov = new double[AudioLevel.SILENT_DBOV + 1];

  // Per handle. inUse guards every other array; remove() resets a slot before it is reused.
  private final boolean[] inUse;
  private final long[] lastPacket;
  private final long[] lastVoiced;
  private final long[] speechRun;
  private final double[] scoreNanos;
  private final boolean[] vadSeen;
  private final double[] floorDbov;
  private final double[] level;
  private final boolean[] active;
  private final boolean[] listed;

  private final int[] free;
  private int freeCount;
  private int highWater;

  private int[] ranked;
  private int[] next;
  private int rankedCount;
  private int dominant = NONE;
  private int challenger = NONE;
  private long challengeSince;
  private long lastTick = NEVER;
  private boolean speakersDirty;
  private boolean dominantDirty;
  private long ignoredPackets;

  /** A detector for at most {@code capacity} audio tracks, with {@link Config#DEFAULT}. */
  public SpeakerDetector(int capacity) {
    this(capacity, Config.DEFAULT);
  }

  public SpeakerDetector(int capacity, Config config) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity " + capacity);
    }
    this.config = config;
    for (int dbov = 0; dbov <= AudioLevel.SILENT_DBOV; dbov++) {
      scoreOfDbov[dbov] = Math.max(0, (config.silentDbov() - dbov) / (double) config.silentDbov());
    }
    inUse = new boolean[capacity];
    lastPacket = new long[capacity];
    lastVoiced = new long[capacity];
    speechRun = new long[capacity];
    scoreNanos = new double[capacity];
    vadSeen = new boolean[capacity];
    floorDbov = new double[capacity];
    level = new double[capacity];
    active = new boolean[capacity];
    listed = new boolean[capacity];
    ranked = new int[capacity];
    next = new int[capacity];
    free = new int[capacity];
    // Pop order 0, 1, 2...: handles stay small and the detector is deterministic.
    for (int i = 0; i < capacity; i++) {
      free[i] = capacity - 1 - i;
    }
    freeCount = capacity;
  }

  /** A new handle for an audio track, or {@link #NONE} when all {@code capacity} are taken. */
  public int add() {
    if (freeCount == 0) {
      return NONE;
    }
    int h = free[--freeCount];
    inUse[h] = true;
    lastPacket[h] = NEVER;
    lastVoiced[h] = NEVER;
    speechRun[h] = 0;
    scoreNanos[h] = 0;
    vadSeen[h] = false;
    floorDbov[h] = AudioLevel.SILENT_DBOV;
    level[h] = 0;
    active[h] = false;
    listed[h] = false;
    highWater = Math.max(highWater, h + 1);
    return h;
  }

  /**
   * Forgets a track. If it was listed or dominant, the next {@link #tick} reports the change.
   * Unknown handles are ignored.
   */
  public void remove(int handle) {
    if (!valid(handle)) {
      return;
    }
    inUse[handle] = false;
    active[handle] = false;
    if (listed[handle]) {
      listed[handle] = false;
      int w = 0;
      for (int i = 0; i < rankedCount; i++) {
        if (ranked[i] != handle) {
          ranked[w++] = ranked[i];
        }
      }
      rankedCount = w;
      speakersDirty = true;
    }
    if (dominant == handle) {
      dominant = NONE;
      dominantDirty = true;
    }
    if (challenger == handle) {
      challenger = NONE;
    }
    free[freeCount++] = handle;
  }

  /**
   * Accounts one audio packet of track {@code handle}: O(1), allocation-free, never throws. Packets
   * of unknown handles or with a negative level ({@link AudioLevel#ABSENT}) are counted in {@link
   * #ignoredPackets} and otherwise ignored; levels above 127 are read as silence.
   *
   * <p>The V bit is trusted only once the track has set it at least once: RFC 6464 §4 leaves it
   * meaningless without {@code vad=on}, and a sender that never sets it must still be heard.
   *
   * @param levelDbov the RFC 6464 level, 0 (loud) .. 127 (silent)
   * @param voiceActivity the RFC 6464 V bit
   */
  public void onAudioLevel(int handle, int levelDbov, boolean voiceActivity, long nowNanos) {
    if (!valid(handle) || levelDbov < 0) {
      ignoredPackets++;
      return;
    }
    int dbov = Math.min(levelDbov, AudioLevel.SILENT_DBOV);
    long last = lastPacket[handle];
    long weight =
        last == NEVER ? NOMINAL_FRAME_NANOS : Math.clamp(nowNanos - last, 0, MAX_FRAME_NANOS);
    lastPacket[handle] = nowNanos;
    scoreNanos[handle] += scoreOfDbov[dbov] * weight;
    if (voiceActivity) {
      vadSeen[handle] = true;
    }
    double floor = floorDbov[handle];
    // weight/tau, at most 60/400: the first-order step of 1 - exp(-weight/tau), without exp.
    floor += (dbov - floor) * (weight / (dbov > floor ? FLOOR_UP_NANOS : FLOOR_DOWN_NANOS));
    floorDbov[handle] = floor;
    if (dbov <= config.voicedDbov()
        && (config.snrDb() == 0 || dbov <= floor - config.snrDb())
        && (voiceActivity || !vadSeen[handle])) {
      long lastV = lastVoiced[handle];
      if (lastV == NEVER || nowNanos - lastV > config.gapNanos()) {
        speechRun[handle] = 0;
      }
      // Capped so that hours of speech cannot overflow it.
      speechRun[handle] = Math.min(speechRun[handle] + weight, Long.MAX_VALUE / 2);
      lastVoiced[handle] = nowNanos;
    }
  }

  /**
   * Closes the interval since the previous tick: updates levels, the list and the dominant speaker.
   * Call every 100-300 ms; the first call only starts the clock. Returns a mask of {@link
   * #SPEAKERS_CHANGED} and {@link #DOMINANT_CHANGED}, 0 when nothing a client would see changed.
   * O(capacity + listed²), allocation-free.
   */
  public int tick(long nowNanos) {
    if (lastTick == NEVER) {
      lastTick = nowNanos;
      for (int h = 0; h < highWater; h++) {
        scoreNanos[h] = 0;
      }
      return 0;
    }
    long interval = nowNanos - lastTick;
    if (interval <= 0) {
      return 0;
    }
    lastTick = nowNanos;
    double attack = -Math.expm1(-(double) interval / config.attackNanos());
    double release = -Math.expm1(-(double) interval / config.releaseNanos());
    for (int h = 0; h < highWater; h++) {
      if (inUse[h]) {
        update(h, interval, attack, release, nowNanos);
      }
    }
    int changes = rank() ? SPEAKERS_CHANGED : 0;
    if (chooseDominant(nowNanos)) {
      changes |= DOMINANT_CHANGED;
    }
    return changes;
  }

  private void update(int h, long interval, double attack, double release, long now) {
    double inst = Math.min(1.0, scoreNanos[h] / interval);
    scoreNanos[h] = 0;
    double l = level[h];
    l += (inst - l) * (inst > l ? attack : release);
    level[h] = Math.clamp(l, 0.0, 1.0);
    long lastV = lastVoiced[h];
    long silentFor = lastV == NEVER ? Long.MAX_VALUE : now - lastV;
    if (silentFor < 0) {
      silentFor = 0; // a packet stamped after this tick
    }
    active[h] =
        active[h]
            ? silentFor < config.hangoverNanos()
            : speechRun[h] >= config.minSpeechNanos() && silentFor <= config.gapNanos();
  }

  /** Rebuilds the list from the previous order; true if its set or order changed. */
  private boolean rank() {
    int n = 0;
    for (int i = 0; i < rankedCount; i++) {
      if (active[ranked[i]]) {
        next[n++] = ranked[i];
      }
    }
    for (int h = 0; h < highWater; h++) {
      if (inUse[h] && active[h] && !listed[h]) {
        next[n++] = h;
      }
    }
    // Insertion sort that moves a speaker up only past those it clearly outranks: stable, so the
    // previous order wins ties and small differences.
    for (int i = 1; i < n; i++) {
      int h = next[i];
      int j = i;
      while (j > 0 && outranks(h, next[j - 1])) {
        next[j] = next[j - 1];
        j--;
      }
      next[j] = h;
    }
    n = Math.min(n, config.maxSpeakers());
    boolean changed = speakersDirty || n != rankedCount;
    for (int i = 0; i < rankedCount; i++) {
      listed[ranked[i]] = false;
    }
    for (int i = 0; i < n; i++) {
      changed |= i >= rankedCount || next[i] != ranked[i];
      listed[next[i]] = true;
    }
    int[] t = ranked;
    ranked = next;
    next = t;
    rankedCount = n;
    speakersDirty = false;
    return changed;
  }

  private boolean outranks(int a, int b) {
    return level[a] > level[b] * (1 + config.rankMargin()) + RANK_FLOOR;
  }

  /** True if the dominant speaker changed. */
  private boolean chooseDominant(long now) {
    int before = dominant;
    if (dominant != NONE && !active[dominant]) {
      dominant = NONE;
    }
    int best = NONE;
    for (int h = 0; h < highWater; h++) {
      if (inUse[h] && active[h] && h != dominant && (best == NONE || level[h] > level[best])) {
        best = h;
      }
    }
    if (dominant == NONE) {
      // Nobody holds the stage: the loudest active speaker (who already spoke minSpeech) takes it.
      dominant = best;
      challenger = NONE;
    } else if (best != NONE && level[best] > level[dominant] * config.takeoverRatio()) {
      if (challenger != best) {
        challenger = best;
        challengeSince = now;
      } else if (now - challengeSince >= config.takeoverNanos()) {
        dominant = best;
        challenger = NONE;
      }
    } else {
      challenger = NONE;
    }
    boolean changed = dominantDirty || dominant != before;
    dominantDirty = false;
    if (dominant != before && log.isDebugEnabled()) {
      log.debug(
          "dominant speaker {} -> {} (level {})",
          before,
          dominant,
          dominant == NONE ? 0 : level[dominant]);
    }
    return changed;
  }

  private boolean valid(int handle) {
    return handle >= 0 && handle < inUse.length && inUse[handle];
  }

  /** Handle of the speaker who has the stage, or {@link #NONE}. */
  public int dominant() {
    return dominant;
  }

  /** Number of listed active speakers, at most {@link Config#maxSpeakers}. */
  public int speakerCount() {
    return rankedCount;
  }

  /** Handle of the {@code i}-th listed speaker, loudest first (with hysteresis). */
  public int speaker(int i) {
    return ranked[i];
  }

  /** Smoothed level of the {@code i}-th listed speaker, 0..1, for LiveKit's SpeakerInfo.level. */
  public double speakerLevel(int i) {
    return level[ranked[i]];
  }

  /** Smoothed level of a track, 0..1; 0 for unknown handles. */
  public double level(int handle) {
    return valid(handle) ? level[handle] : 0;
  }

  /** True if the track is in the active set (listed unless beyond {@link Config#maxSpeakers}). */
  public boolean isActive(int handle) {
    return valid(handle) && active[handle];
  }

  /** Copies the listed handles, loudest first, into {@code dst}; returns how many. */
  public int speakers(int[] dst) {
    int n = Math.min(rankedCount, dst.length);
    System.arraycopy(ranked, 0, dst, 0, n);
    return n;
  }

  /** Packets ignored for an unknown handle or a missing level. */
  public long ignoredPackets() {
    return ignoredPackets;
  }

  public int capacity() {
    return inUse.length;
  }

  @Override
  public String toString() {
    return "SpeakerDetector{dominant="
        + dominant
        + ", speakers="
        + Arrays.toString(Arrays.copyOf(ranked, rankedCount))
        + "}";
  }
}
