package eu.visio.sfu.cc;

/**
 * Arrival-time filter of the delay-based controller: the least-squares slope of the smoothed,
 * accumulated inter-group delay variation over the last {@link #WINDOW} groups, as libwebrtc's
 * TrendlineEstimator does in place of the Kalman filter of draft-ietf-rmcat-gcc-02 §5.3. A positive
 * slope means the bottleneck queue grows (milliseconds of queue per millisecond of time).
 *
 * <p>The detector compares {@code min(deltas, 60) * slope * GAIN} (the "modified trend") with its
 * threshold: the deltas factor keeps early, noisy slopes small. Preallocated ring, no allocation.
 */
final class TrendlineFilter {
  static final int WINDOW = 20;
  static final double SMOOTHING = 0.9;
  static final double GAIN = 4.0;
  static final int MAX_DELTAS_FACTOR = 60;

  private final double[] x = new double[WINDOW];
  private final double[] y = new double[WINDOW];
  private int size;
  private int head;
  private int deltas;
  private boolean started;
  private long firstArrival;
  private double accumulated;
  private double smoothed;
  private double trend;

  /**
   * Adds one inter-group delay variation.
   *
   * @param delayMs arrival delta minus send delta of two groups, in ms
   * @param arrivalNanos the newer group's arrival (receiver clock)
   * @return the modified trend, in ms
   */
  double update(double delayMs, long arrivalNanos) {
    if (!started) {
      started = true;
      firstArrival = arrivalNanos;
    }
    deltas = Math.min(deltas + 1, 1000);
    accumulated += delayMs;
    smoothed = SMOOTHING * smoothed + (1 - SMOOTHING) * accumulated;
    x[head] = (arrivalNanos - firstArrival) / 1e6;
    y[head] = smoothed;
    head = (head + 1) % WINDOW;
    size = Math.min(size + 1, WINDOW);
    if (size == WINDOW) {
      double slope = slope();
      if (Double.isFinite(slope)) {
        trend = slope;
      }
    }
    return modifiedTrend();
  }

  private double slope() {
    double sumX = 0;
    double sumY = 0;
    for (int i = 0; i < size; i++) {
      sumX += x[i];
      sumY += y[i];
    }
    double meanX = sumX / size;
    double meanY = sumY / size;
    double num = 0;
    double den = 0;
    for (int i = 0; i < size; i++) {
      double dx = x[i] - meanX;
      num += dx * (y[i] - meanY);
      den += dx * dx;
    }
    return den == 0 ? Double.NaN : num / den;
  }

  /** Latest slope (ms of delay per ms). */
  double trend() {
    return trend;
  }

  int deltas() {
    return deltas;
  }

  double modifiedTrend() {
    return deltas < 2 ? 0 : Math.min(deltas, MAX_DELTAS_FACTOR) * trend * GAIN;
  }
}
