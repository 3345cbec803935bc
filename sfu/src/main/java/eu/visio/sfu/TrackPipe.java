package eu.visio.sfu;

import eu.visio.media.net.HandoffRing;
import eu.visio.media.rtcp.FullIntraRequest;
import eu.visio.media.rtcp.GenericNack;
import eu.visio.media.rtcp.RtcpCompoundIterator;
import eu.visio.media.rtcp.RtcpHeader;
import eu.visio.media.rtcp.RtcpParseException;
import eu.visio.media.rtp.RtpPacket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries one published track to a room shard on another media worker, where it is published again
 * as a <em>mirror</em> that local subscribers receive like any track (mediasoup's {@code
 * pipeToRouter}, within one process). This is how a room too big for one worker spreads its
 * subscribers' send work: each worker encrypts and sends for its own subscribers, and the source
 * worker copies each packet once per other worker, not once per remote subscriber.
 *
 * <p>Packets (the publisher's originals, RTX already unwrapped) and sender reports go through a
 * bounded single-producer single-consumer {@link HandoffRing}: no lock, no allocation per packet;
 * the target worker is woken once per batch. Each packet travels with its encoding index, so a
 * simulcast mirror needs no rid extension (browsers stop sending it once their SSRCs are known).
 * Feedback goes back the other way, rarely, as tasks on the source worker: the mirror's keyframe
 * requests become the source's (throttled there across every shard), and its NACKs (a packet the
 * ring refused when full) are answered from the source's history into the pipe again.
 *
 * <p>Threading: {@link #open} from any thread. The source side runs on the source worker, the
 * mirror on the target worker; {@link #close} from any thread.
 */
public final class TrackPipe implements TrackOutlet {
  private static final Logger log = LoggerFactory.getLogger(TrackPipe.class);

  /** Packets in flight between the two workers: about a second of HD video. */
  static final int CAPACITY = 1024;

  /** A slot holds the largest packet we accept. */
  static final int SLOT = 1500;

  /** What a slot carries: a packet of encoding {@code encoding}, or a sender report. */
  record Tag(int encoding, boolean senderReport) {}

  private static final Tag[] RTP_TAGS = {
    new Tag(0, false), new Tag(1, false), new Tag(2, false), new Tag(3, false)
  };
  private static final Tag SR_TAG = new Tag(-1, true);

  private final PublishedTrack source;
  private final Executor sourceWorker;
  private final Room target;
  private final Executor targetWorker;
  private final LongSupplier clock;
  private final HandoffRing<Tag> ring = new HandoffRing<>(CAPACITY, SLOT);
  private final AtomicBoolean drainPosted = new AtomicBoolean();
  private final Runnable drainTask = this::drain;
  private final HandoffRing.Consumer<Tag> deliver = this::deliver;
  private final RtpPacket packet = new RtpPacket();
  private final RtpPacket resent = new RtpPacket();
  private volatile boolean closed;

  // Target worker only.
  private Participant relay;
  private Feedback feedback;
  private PublishedTrack mirror;
  private long deliverNanos;

  private TrackPipe(
      PublishedTrack source,
      Executor sourceWorker,
      Room target,
      Executor targetWorker,
      LongSupplier clock) {
    this.source = source;
    this.sourceWorker = sourceWorker;
    this.target = target;
    this.targetWorker = targetWorker;
    this.clock = clock;
  }

  /**
   * Mirrors {@code source} (owned by {@code sourceWorker}) into {@code target} (owned by {@code
   * targetWorker}), published there by a relay participant of the publisher's id.
   */
  public static TrackPipe open(
      PublishedTrack source,
      Executor sourceWorker,
      Room target,
      Executor targetWorker,
      LongSupplier clock) {
    TrackPipe pipe = new TrackPipe(source, sourceWorker, target, targetWorker, clock);
    // The mirror exists before the first packet: the target runs its tasks in order, and the
    // source posts no drain before it is attached, which it is after this task was posted.
    targetWorker.execute(pipe::createMirror);
    sourceWorker.execute(() -> source.addPipe(pipe));
    return pipe;
  }

  /** Stops the pipe: the source stops feeding it, the mirror is unpublished. */
  public void close() {
    closed = true;
    sourceWorker.execute(() -> source.removePipe(this));
    targetWorker.execute(this::removeMirror);
  }

  /** The mirror in the target room (target worker only; null before it is created). */
  public PublishedTrack mirror() {
    return mirror;
  }

  /** Packets the ring refused because the target worker fell behind. */
  public long refused() {
    return ring.refused();
  }

  // ---- source worker

  /** A packet of encoding {@code encoding} the source forwards. */
  @Override
  public void offerRtp(RtpPacket p, int encoding) {
    if (encoding < RTP_TAGS.length && p.length() <= SLOT) {
      ring.offer(p.buffer(), p.offset(), p.length(), null, RTP_TAGS[encoding]);
      wake();
    }
  }

  /** A sender report of the source's (already written into {@code b}). */
  @Override
  public void offerSenderReport(byte[] b, int off, int len) {
    if (len <= SLOT) {
      ring.offer(b, off, len, null, SR_TAG);
      wake();
    }
  }

  private void wake() {
    if (!drainPosted.get() && drainPosted.compareAndSet(false, true)) {
      targetWorker.execute(drainTask);
    }
  }

  // ---- target worker

  private void createMirror() {
    if (closed) {
      return;
    }
    relay = target.participant(source.publisherId());
    if (relay == null) {
      relay = target.addParticipant(source.publisherId(), new Feedback(), RtpSink.DISCARD, 0);
    }
    mirror = target.publish(relay, source.id(), source.info(), source.source());
    if (relay.publisher().transport() instanceof Feedback f) {
      feedback = f; // one relay per publisher: its feedback serves every pipe of its tracks
      f.pipes.add(this);
    }
    log.debug(
        "track={} of {} piped into room shard {}", source.id(), source.publisherId(), target.id());
  }

  private void removeMirror() {
    if (mirror != null) {
      if (feedback != null) {
        feedback.pipes.remove(this);
      }
      target.unpublish(mirror);
      if (relay.publisher().tracks().isEmpty()) {
        target.removeParticipant(relay);
      }
      mirror = null;
    }
  }

  private void drain() {
    drainPosted.set(false); // before draining: an offer from now on posts another drain
    deliverNanos = clock.getAsLong();
    ring.drain(deliver);
  }

  private void deliver(byte[] buf, int off, int len, java.net.InetSocketAddress unused, Tag tag) {
    PublishedTrack m = mirror;
    if (m == null) {
      return;
    }
    if (tag.senderReport()) {
      relay.publisher().onRtcp(buf, off, len, deliverNanos);
    } else if (packet.wrap(buf, off, len)) {
      m.onRelayedRtp(packet, tag.encoding(), deliverNanos);
    }
  }

  /** Source worker: a mirror's NACK; the packets still in the history go through again. */
  private void resend(GenericNack nack) {
    ReceiveStream s = source.streamBySsrc(nack.mediaSsrc());
    if (s == null) {
      return;
    }
    byte[] buf = source.retransmitBuffer();
    for (GenericNack.Entry e : nack.entries()) {
      for (int bit = -1; bit < 16; bit++) {
        if (bit >= 0 && (e.blp() & (1 << bit)) == 0) {
          continue;
        }
        int n = s.history.readSeq16((e.pid() + bit + 1) & 0xFFFF, buf, 0);
        if (n > 0 && resent.wrap(buf, 0, n)) {
          offerRtp(resent, s.index);
        }
      }
    }
  }

  /**
   * The relay participant's RTCP towards "its publisher", shared by the pipes of every track of
   * that publisher in this shard: keyframe requests and NACKs go to the source worker of the pipe
   * whose mirror the media SSRC belongs to; receiver reports, REMB and transport-cc feedback mean
   * nothing in-process and are dropped. Target worker only.
   */
  private static final class Feedback implements RtpSink {
    private final RtcpCompoundIterator rtcp = new RtcpCompoundIterator();
    private final List<TrackPipe> pipes = new ArrayList<>();

    private TrackPipe pipeOf(int ssrc) {
      for (TrackPipe p : pipes) {
        if (p.mirror != null && p.mirror.encodingOf(ssrc) >= 0) {
          return p;
        }
      }
      return null;
    }

    private void requestKeyframe(int ssrc) {
      TrackPipe p = pipeOf(ssrc);
      if (p != null) {
        p.sourceWorker.execute(() -> p.source.requestKeyframeBySsrc(ssrc, p.clock.getAsLong()));
      }
    }

    @Override
    public boolean sendRtp(byte[] buf, int off, int len) {
      return false;
    }

    @Override
    public boolean sendRtcp(byte[] buf, int off, int len) {
      rtcp.wrap(buf, off, len);
      try {
        while (rtcp.hasNext()) {
          rtcp.next();
          int pt = rtcp.packetType();
          int fmt = rtcp.count();
          if (pt == RtcpHeader.PSFB && fmt == RtcpHeader.FMT_PLI && rtcp.packetLength() >= 12) {
            requestKeyframe(rtcp.mediaSsrc());
          } else if (pt == RtcpHeader.PSFB && fmt == RtcpHeader.FMT_FIR) {
            if (rtcp.parse() instanceof FullIntraRequest fir) {
              for (FullIntraRequest.Entry e : fir.entries()) {
                requestKeyframe(e.ssrc());
              }
            }
          } else if (pt == RtcpHeader.RTPFB && fmt == RtcpHeader.FMT_NACK) {
            if (rtcp.parse() instanceof GenericNack nack) {
              TrackPipe p = pipeOf(nack.mediaSsrc());
              if (p != null) {
                p.sourceWorker.execute(() -> p.resend(nack));
              }
            }
          }
        }
      } catch (RtcpParseException e) {
        // Our own mirror wrote it: cannot happen; nothing to do if it did.
      }
      return true;
    }
  }
}
