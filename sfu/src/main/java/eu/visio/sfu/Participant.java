package eu.visio.sfu;

import eu.visio.media.DropCounters;

/**
 * One participant of a {@link Room}: the {@link Publisher} receiving what it sends and the {@link
 * Subscriber} sending it what it receives, on one transport (LiveKit's {@code /rtc/v1}, a single
 * peer connection) or two ({@code /rtc}). Its transports feed it decrypted packets on the room's
 * media thread.
 */
public final class Participant {
  private final String id;
  private final Room room;
  private final Publisher publisher;
  private final Subscriber subscriber;
  private final RtpSink subscriberSink;
  private final QualityMonitor quality = new QualityMonitor(this);

  Participant(
      String id,
      Room room,
      RtpSink publisherSink,
      RtpSink subscriberSink,
      DropCounters drops,
      byte[] scratch,
      long maxPublishBitrate) {
    this.id = id;
    this.room = room;
    this.publisher = new Publisher(id, publisherSink, drops, scratch, maxPublishBitrate);
    this.subscriber = new Subscriber(id, drops, subscriberSink);
    this.subscriberSink = subscriberSink;
  }

  public String id() {
    return id;
  }

  public Room room() {
    return room;
  }

  public Publisher publisher() {
    return publisher;
  }

  public Subscriber subscriber() {
    return subscriber;
  }

  /** The grade of its connection, re-evaluated every two seconds by the room. */
  public ConnectionQuality quality() {
    return quality.quality();
  }

  /** The score behind {@link #quality()}: 1 (lost) to 5 (excellent). */
  public double qualityScore() {
    return quality.score();
  }

  QualityMonitor qualityMonitor() {
    return quality;
  }

  /** The transport its down tracks send on. */
  RtpSink subscriberSink() {
    return subscriberSink;
  }

  /** A decrypted RTP packet from the participant's publishing transport. */
  public void onRtp(byte[] buf, int off, int len, long nowNanos) {
    publisher.onRtp(buf, off, len, nowNanos);
  }

  /**
   * A decrypted RTCP compound from one of its transports: sender reports and BYE about what it
   * sends, and feedback (receiver reports, NACK, PLI, REMB, transport-cc) about what it receives.
   */
  public void onRtcp(byte[] buf, int off, int len, long nowNanos) {
    publisher.onRtcp(buf, off, len, nowNanos);
    subscriber.onRtcp(buf, off, len, nowNanos);
  }
}
