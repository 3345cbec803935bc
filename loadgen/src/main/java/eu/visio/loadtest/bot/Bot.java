package eu.visio.loadtest.bot;

import eu.visio.media.dtls.DtlsCertificate;
import eu.visio.media.dtls.DtlsRole;
import eu.visio.media.rtcp.RtcpCompoundIterator;
import java.net.InetSocketAddress;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;

/**
 * One simulated participant: a {@link Leg} (a UDP socket and a {@link MediaLink} to the server),
 * and a {@link Publisher} and/or a {@link Receiver}. A second leg, for receiving, serves servers
 * that subscribe over a peer connection of its own (Janus's VideoRoom): the receiver's feedback
 * then goes there. Signalling (LiveKit's WebSocket, the relay's hello, Janus's HTTP API) happens
 * elsewhere and hands the bot what it learnt through the public methods, which may be called from
 * any thread.
 */
public final class Bot implements PacketOut {
  private final BotLoop loop;
  private final String name;
  private final int publisherIndex;
  private final byte[] out = new byte[1600];
  private final RtcpCompoundIterator rtcp = new RtcpCompoundIterator();
  private final Leg main;
  private Leg receiving;
  private TurnRoute turn;
  final Publisher publisher;
  final Receiver receiver;
  private boolean ticking;
  long nextDue = Long.MAX_VALUE;

  /**
   * @param publisherIndex this bot's index among publishers (in its stamps), or -1
   * @param media what it publishes, or null for a subscriber only
   * @param subscribes whether it receives
   * @param feedback whether it answers with RTCP (not to the relay)
   */
  public Bot(
      BotLoop loop,
      String name,
      int publisherIndex,
      MediaConfig media,
      boolean subscribes,
      boolean feedback) {
    this.loop = loop;
    this.name = name;
    this.publisherIndex = publisherIndex;
    this.publisher =
        media == null
            ? null
            : new Publisher(publisherIndex, media, this, Publisher.ssrcBase(publisherIndex));
    this.receiver = subscribes ? new Receiver(new ReceiverOut(), feedback, loop) : null;
    this.main = new Leg(this);
  }

  public String name() {
    return name;
  }

  public int publisherIndex() {
    return publisherIndex;
  }

  BotLoop loop() {
    return loop;
  }

  /** Completes when media flows both ways on its first leg, or fails with the reason. */
  public CompletableFuture<Void> ready() {
    return main.ready();
  }

  /**
   * Connects its first leg over WebRTC to {@code remote} with this bot's ICE credentials and
   * certificate, as the DTLS client (the server answered {@code passive}).
   */
  public void startWebRtc(
      RemoteMedia remote, String localUfrag, String localPwd, DtlsCertificate certificate) {
    startWebRtc(remote, localUfrag, localPwd, certificate, DtlsRole.CLIENT);
  }

  /**
   * Connects its first leg over WebRTC in DTLS role {@code role}; returns {@link #ready()}. The bot
   * is always the controlling ICE agent: the servers it meets are ICE-lite.
   */
  public CompletableFuture<Void> startWebRtc(
      RemoteMedia remote,
      String localUfrag,
      String localPwd,
      DtlsCertificate certificate,
      DtlsRole role) {
    loop.execute(
        () ->
            main.start(
                remote.address(),
                new WebRtcLink(main, remote, localUfrag, localPwd, certificate, role),
                turn));
    return main.ready();
  }

  /**
   * Sends its WebRTC media through the TURN server of {@code route} (a channel to the server's
   * candidate) rather than straight to it. Call before the media starts.
   */
  public void relayThrough(TurnRoute route) {
    loop.execute(() -> turn = route);
  }

  /**
   * Opens a second leg, for receiving only, over WebRTC to {@code remote}: the receiver's feedback
   * goes there from then on. Completes when it is up.
   */
  public CompletableFuture<Void> startReceiving(
      RemoteMedia remote,
      String localUfrag,
      String localPwd,
      DtlsCertificate certificate,
      DtlsRole role) {
    Leg leg = new Leg(this);
    loop.execute(
        () -> {
          receiving = leg;
          leg.start(
              remote.address(),
              new WebRtcLink(leg, remote, localUfrag, localPwd, certificate, role),
              turn);
        });
    return leg.ready();
  }

  /** Connects in plain RTP to the bare relay, asking it for video layer {@code layer}. */
  public void startPlain(InetSocketAddress relay, int layer) {
    loop.execute(
        () -> main.start(relay, new PlainLink(main, publisherIndex, receiver != null, layer)));
  }

  /** A leg's socket is open: tick the bot from now on. */
  void legStarted() {
    if (!ticking) {
      ticking = true;
      loop.add(this);
    }
    nextDue = System.nanoTime();
  }

  void legLinked() {
    nextDue = System.nanoTime();
  }

  /** Switches one of its simulcast layers on or off (the server's dynacast request). */
  public void setLayerEnabled(int layer, boolean enabled) {
    if (publisher != null) {
      loop.execute(() -> publisher.setLayerEnabled(layer, enabled));
    }
  }

  /** Tells the receiver that {@code rtxSsrc} repairs {@code mediaSsrc}. */
  public void addRtx(int mediaSsrc, int rtxSsrc) {
    if (receiver != null) {
      loop.execute(() -> receiver.addRtx(mediaSsrc, rtxSsrc));
    }
  }

  long tick(long now) {
    if (main.link == null && receiving == null) {
      return Long.MAX_VALUE;
    }
    long next = Long.MAX_VALUE;
    if (main.link != null) {
      next = main.tick(now);
      if (publisher != null && main.linkReady()) {
        next = Math.min(next, publisher.tick(now));
      }
    }
    Leg r = receiving != null ? receiving : main;
    if (r != main && r.link != null) {
      next = Math.min(next, r.tick(now));
    }
    if (receiver != null && r.linkReady()) {
      next = Math.min(next, receiver.tick(now));
    }
    return next;
  }

  void onRtp(byte[] b, int off, int len, long now) {
    if (receiver != null) {
      receiver.onRtp(b, off, len, now);
    }
  }

  void onRtcp(byte[] b, int off, int len, long now) {
    if (publisher != null) {
      publisher.onRtcp(rtcp, b, off, len);
    }
    if (receiver != null) {
      receiver.onRtcp(b, off, len, now);
    }
  }

  @Override
  public byte[] buffer() {
    return out;
  }

  @Override
  public void sendRtp(int len) {
    main.link.sendRtp(out, len);
  }

  @Override
  public void sendRtcp(int len) {
    main.link.sendRtcp(out, len);
  }

  /** The receiver's way out: its own leg when it has one, else the bot's first. */
  private final class ReceiverOut implements PacketOut {
    @Override
    public byte[] buffer() {
      return out;
    }

    @Override
    public void sendRtp(int len) {
      throw new UnsupportedOperationException("a receiver sends no RTP");
    }

    @Override
    public void sendRtcp(int len) {
      (receiving != null ? receiving : main).link.sendRtcp(out, len);
    }
  }

  void startWindow() {
    if (receiver != null) {
      receiver.startWindow();
    }
  }

  /** What it received: see {@link Receiver#addWindow}. Loop thread only. */
  void addWindow(long[] totals, java.util.List<VideoWindow> video) {
    if (receiver != null) {
      receiver.addWindow(totals);
      receiver.addVideoWindows(name, video);
    }
  }

  /** Publishers whose audio arrived here (a copy, safe to read from any thread once returned). */
  public CompletableFuture<BitSet[]> heardFrom() {
    return loop.call(
        () ->
            receiver == null
                ? new BitSet[] {new BitSet(), new BitSet()}
                : new BitSet[] {
                  (BitSet) receiver.audioFrom.clone(), (BitSet) receiver.videoFrom.clone()
                });
  }

  /** Stops and releases the bot (on its loop). */
  public CompletableFuture<Void> close() {
    return loop.call(
        () -> {
          loop.remove(this);
          main.close();
          if (receiving != null) {
            receiving.close();
          }
          return null;
        });
  }
}
