package eu.visio.sfu.cc;

import eu.visio.media.rtcp.TransportCcFeedback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downlink bandwidth estimate for one subscriber transport, GCC style (draft-ietf-rmcat-gcc-02):
 * the lower of a delay-based estimate ({@link DelayBasedEstimator}) and a loss-based cap ({@link
 * LossBasedEstimator}), both fed by the browser's transport-cc feedback joined with what we sent
 * ({@link TransportSequencer}, {@link FeedbackAdapter}); raised by successful probes ({@link
 * Prober}); kept in [min, max].
 *
 * <p>REMB (draft-alvestrand-rmcat-remb-03) is a fallback: while no transport-cc feedback has
 * arrived for {@link #TWCC_SILENCE_NANOS} (not negotiated, or stopped), each REMB value becomes the
 * estimate. With transport-cc flowing, REMB is ignored: its receive-side estimator sees the same
 * delays later and coarser.
 *
 * <p>Use from the media loop, per subscriber transport:
 *
 * <pre>{@code
 * // per packet sent:      twccSeq = sequencer.next(now, size, false)
 * // per TWCC feedback:    bwe.onFeedback(feedback, now)
 * // per REMB:             bwe.onRemb(remb.bitrate(), now)
 * // allocation:           bwe.estimate(), or a Listener
 * // probing (timer tick): see Prober
 * }</pre>
 *
 * <p>Changes of 5% or more since the last notification, and every decrease, probe or REMB change,
 * go to the listener and are logged at debug with the transport's id and the reason. Per feedback
 * work allocates nothing beyond the parsed feedback itself. Not thread-safe.
 */
public final class BandwidthEstimator {
  private static final Logger log = LoggerFactory.getLogger(BandwidthEstimator.class);

  static final long TWCC_SILENCE_NANOS = 5_000_000_000L;
  static final double NOTIFY_FRACTION = 0.05;

  /**
   * Bounds and starting point.
   *
   * @param startBps estimate before any feedback
   * @param minBps floor: audio and the lowest video layer must still fit
   * @param maxBps ceiling
   * @param probeSizeBytes size of probe (padding) packets on the wire
   */
  public record Config(long startBps, long minBps, long maxBps, int probeSizeBytes) {
    public Config {
      if (minBps <= 0 || minBps > maxBps || probeSizeBytes <= 0) {
        throw new IllegalArgumentException("need 0 < min <= max and a probe size");
      }
    }

    /** 1 Mbit/s start, 100 kbit/s to 50 Mbit/s. */
    public static Config defaults() {
      return new Config(1_000_000, 100_000, 50_000_000, Prober.DEFAULT_PROBE_SIZE);
    }
  }

  /** Told of significant estimate changes, on the media loop. */
  @FunctionalInterface
  public interface Listener {
    void onBandwidthChange(long previousBps, long bps, BandwidthChangeReason reason);
  }

  private final String id;
  private final Config config;
  private final TransportSequencer sequencer;
  private final FeedbackAdapter adapter;
  private final DelayBasedEstimator delay;
  private final LossBasedEstimator loss = new LossBasedEstimator();
  private final Prober prober;
  private final Listener listener;

  private long estimate;
  private long notified;
  private BandwidthChangeReason lastReason;
  private long lastFeedback = Long.MIN_VALUE;
  private long lastRemb = -1;

  /**
   * @param id the subscriber transport's id, for logs
   * @param listener told of changes; may be null to poll {@link #estimate()} instead
   */
  public BandwidthEstimator(
      String id, Config config, TransportSequencer sequencer, Listener listener) {
    this.id = id;
    this.config = config;
    this.sequencer = sequencer;
    this.listener = listener;
    this.adapter = new FeedbackAdapter(sequencer);
    this.estimate = Math.clamp(config.startBps(), config.minBps(), config.maxBps());
    this.notified = estimate;
    this.delay = new DelayBasedEstimator(estimate, config.minBps(), config.maxBps());
    this.prober = new Prober(sequencer, this::estimate, config.maxBps(), config.probeSizeBytes());
  }

  /** Handles one transport-cc feedback packet from the subscriber. */
  public void onFeedback(TransportCcFeedback feedback, long nowNanos) {
    lastFeedback = nowNanos;
    prober.setEnabled(true);
    if (adapter.onFeedback(feedback, nowNanos) == 0) {
      return;
    }
    PacketResults results = adapter.results();
    delay.onResults(results, adapter.rttNanos(), nowNanos);
    LossBasedEstimator.Action action = loss.onResults(results, estimate, delay.target(), nowNanos);
    long probe = prober.onResults(results, nowNanos);
    long combined = combined();
    if (probe > combined) {
      delay.reset(probe, nowNanos);
      loss.raise(probe);
      change(combined(), BandwidthChangeReason.PROBE);
      return;
    }
    boolean lossBound = loss.cap() < delay.target();
    BandwidthChangeReason reason;
    if (combined < estimate) {
      reason =
          lossBound && action == LossBasedEstimator.Action.DECREASE
              ? BandwidthChangeReason.LOSS_DECREASE
              : BandwidthChangeReason.DELAY_OVERUSE;
    } else {
      reason =
          lossBound ? BandwidthChangeReason.LOSS_INCREASE : BandwidthChangeReason.DELAY_INCREASE;
    }
    change(combined, reason);
  }

  /** Handles one REMB from the subscriber: the estimate while transport-cc is silent. */
  public void onRemb(long bps, long nowNanos) {
    if (bps <= 0) {
      return;
    }
    lastRemb = bps;
    if (transportCcActive(nowNanos)) {
      return;
    }
    prober.setEnabled(false); // no feedback would tell us how a probe went
    delay.reset(bps, nowNanos);
    change(Math.clamp(bps, config.minBps(), config.maxBps()), BandwidthChangeReason.REMB);
  }

  private long combined() {
    return Math.clamp(Math.min(delay.target(), loss.cap()), config.minBps(), config.maxBps());
  }

  private void change(long bps, BandwidthChangeReason reason) {
    if (bps == estimate) {
      return;
    }
    estimate = bps;
    lastReason = reason;
    boolean significant =
        Math.abs(bps - notified) >= notified * NOTIFY_FRACTION
            || (reason != BandwidthChangeReason.DELAY_INCREASE
                && reason != BandwidthChangeReason.LOSS_INCREASE);
    if (!significant) {
      return;
    }
    long previous = notified;
    notified = bps;
    if (log.isDebugEnabled()) {
      log.debug(
          "bandwidth change {}: {} -> {} bps ({}, acked {} bps, loss {})",
          id,
          previous,
          bps,
          reason,
          delay.ackedBps(),
          loss.lastLoss());
    }
    if (listener != null) {
      listener.onBandwidthChange(previous, bps, reason);
    }
  }

  /** Whether transport-cc feedback arrived in the last {@link #TWCC_SILENCE_NANOS}. */
  public boolean transportCcActive(long nowNanos) {
    return lastFeedback != Long.MIN_VALUE && nowNanos - lastFeedback < TWCC_SILENCE_NANOS;
  }

  /** Current estimate in bits per second, within [min, max]. */
  public long estimate() {
    return estimate;
  }

  /** Why the estimate last changed, or null while it is the start value. */
  public BandwidthChangeReason lastReason() {
    return lastReason;
  }

  /** Acknowledged (received) rate, or -1 while unknown. */
  public long ackedBps() {
    return delay.ackedBps();
  }

  /** Last over-use signal. */
  public BandwidthUsage usage() {
    return delay.usage();
  }

  /** Loss fraction of the last closed loss interval. */
  public double lossFraction() {
    return loss.lastLoss();
  }

  /** Last REMB value received, or -1. */
  public long lastRemb() {
    return lastRemb;
  }

  public TransportSequencer sequencer() {
    return sequencer;
  }

  public FeedbackAdapter feedbackAdapter() {
    return adapter;
  }

  public Prober prober() {
    return prober;
  }

  public Config config() {
    return config;
  }
}
