package eu.visio.loadtest.livekit;

import eu.visio.loadtest.bot.Bot;
import eu.visio.loadtest.bot.RemoteMedia;
import eu.visio.media.dtls.DtlsCertificate;
import eu.visio.media.dtls.DtlsFingerprint;
import eu.visio.media.dtls.DtlsParseException;
import eu.visio.media.sdp.Direction;
import eu.visio.media.sdp.Fingerprint;
import eu.visio.media.sdp.MediaDescription;
import eu.visio.media.sdp.SdpParseException;
import eu.visio.media.sdp.SessionDescription;
import eu.visio.media.sdp.SsrcGroup;
import eu.visio.signal.livekit.JoinRequests;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import livekit.LivekitModels.ClientInfo;
import livekit.LivekitModels.TrackSource;
import livekit.LivekitModels.TrackType;
import livekit.LivekitModels.VideoLayer;
import livekit.LivekitModels.VideoQuality;
import livekit.LivekitRtc.AddTrackRequest;
import livekit.LivekitRtc.ConnectionSettings;
import livekit.LivekitRtc.JoinRequest;
import livekit.LivekitRtc.SessionDescription.Builder;
import livekit.LivekitRtc.SignalRequest;
import livekit.LivekitRtc.SignalResponse;
import livekit.LivekitRtc.SubscribedQuality;
import livekit.LivekitRtc.UpdateTrackSettings;

/**
 * A bot's LiveKit signalling over {@code /rtc/v1} (one peer connection, the client offers), on
 * LiveKit's own protobuf classes: join, announce its tracks and wait until they are published,
 * offer its sending sections and receive slots, start ICE and DTLS from the first answer, offer
 * again whenever the server asks for slots ({@code MediaSectionsRequirement}), switch simulcast
 * layers as the server's {@code SubscribedQualityUpdate} says, ping every five seconds.
 *
 * <p>WebSocket callbacks run one at a time; sends are chained, since the JDK's WebSocket refuses a
 * send while the previous one is under way.
 */
public final class LiveKitBot implements WebSocket.Listener {
  /** What the bot publishes and receives. */
  public record Plan(
      boolean audio,
      boolean video,
      int layers,
      int recvAudio,
      int recvVideo,
      VideoQuality quality) {}

  private static final String PASSWORD_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  private final Bot bot;
  private final Plan plan;
  private final DtlsCertificate certificate;
  private final String ufrag = random(8);
  private final String pwd = random(24);
  private final String streamId = "stream-" + random(8);
  private final String audioCid;
  private final String videoCid;
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private final Set<String> seenVideoTracks = new HashSet<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private WebSocket ws;
  private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);
  private ScheduledFuture<?> pinger;
  private int published;
  private String videoTrackSid;
  private int recvAudio;
  private int recvVideo;
  private int offerId;
  private boolean awaitingAnswer;
  private boolean offerWanted;
  private boolean mediaStarted;

  public LiveKitBot(Bot bot, Plan plan, DtlsCertificate certificate) {
    this.bot = bot;
    this.plan = plan;
    this.certificate = certificate;
    this.audioCid = "audio-" + bot.name();
    this.videoCid = "video-" + bot.name();
    this.recvAudio = plan.recvAudio();
    this.recvVideo = plan.recvVideo();
  }

  /** Opens the signalling connection; the bot's {@link Bot#ready()} tells when media flows. */
  public CompletableFuture<Void> connect(
      HttpClient http, String host, int port, String token, ScheduledExecutorService timer) {
    JoinRequest join =
        JoinRequest.newBuilder()
            .setClientInfo(ClientInfo.newBuilder().setSdk(ClientInfo.SDK.GO).setProtocol(16))
            .setConnectionSettings(ConnectionSettings.newBuilder().setAutoSubscribe(true))
            .build();
    URI uri =
        URI.create(
            "ws://"
                + host
                + ":"
                + port
                + "/rtc/v1?access_token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8)
                + "&join_request="
                + JoinRequests.encode(join, true));
    return http.newWebSocketBuilder()
        .buildAsync(uri, this)
        .thenAccept(
            w -> {
              pinger =
                  timer.scheduleAtFixedRate(
                      () -> send(SignalRequest.newBuilder().setPing(System.currentTimeMillis())),
                      5,
                      5,
                      TimeUnit.SECONDS);
            });
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    this.ws = webSocket;
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    byte[] b = new byte[data.remaining()];
    data.get(b);
    partial.writeBytes(b);
    if (last) {
      try {
        handle(SignalResponse.parseFrom(partial.toByteArray()));
      } catch (Exception e) {
        bot.ready().completeExceptionally(e);
      }
      partial.reset();
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    bot.ready()
        .completeExceptionally(
            new IllegalStateException(
                bot.name() + ": signalling closed " + statusCode + " " + reason));
    closed.complete(null);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    bot.ready().completeExceptionally(error);
    closed.complete(null);
  }

  private void handle(SignalResponse r) throws SdpParseException, DtlsParseException {
    switch (r.getMessageCase()) {
      case JOIN -> {
        if (plan.audio()) {
          send(SignalRequest.newBuilder().setAddTrack(audioTrack()));
        }
        if (plan.video()) {
          send(SignalRequest.newBuilder().setAddTrack(videoTrack()));
        }
        if (!plan.audio() && !plan.video()) {
          offer();
        }
      }
      case TRACK_PUBLISHED -> {
        if (r.getTrackPublished().getCid().equals(videoCid)) {
          videoTrackSid = r.getTrackPublished().getTrack().getSid();
        }
        published++;
        if (published == (plan.audio() ? 1 : 0) + (plan.video() ? 1 : 0)) {
          offer();
        }
      }
      case ANSWER -> onAnswer(r.getAnswer());
      case MEDIA_SECTIONS_REQUIREMENT -> {
        recvAudio += r.getMediaSectionsRequirement().getNumAudios();
        recvVideo += r.getMediaSectionsRequirement().getNumVideos();
        offer();
      }
      case SUBSCRIBED_QUALITY_UPDATE -> {
        var u = r.getSubscribedQualityUpdate();
        if (u.getTrackSid().equals(videoTrackSid)) {
          for (SubscribedQuality q : u.getSubscribedQualitiesList()) {
            bot.setLayerEnabled(q.getQuality().getNumber(), q.getEnabled());
          }
        }
      }
      case LEAVE ->
          bot.ready()
              .completeExceptionally(new IllegalStateException(bot.name() + ": told to leave"));
      default -> {}
    }
  }

  private AddTrackRequest audioTrack() {
    return AddTrackRequest.newBuilder()
        .setCid(audioCid)
        .setName(audioCid)
        .setType(TrackType.AUDIO)
        .setSource(TrackSource.MICROPHONE)
        .build();
  }

  private AddTrackRequest videoTrack() {
    AddTrackRequest.Builder b =
        AddTrackRequest.newBuilder()
            .setCid(videoCid)
            .setName(videoCid)
            .setType(TrackType.VIDEO)
            .setSource(TrackSource.CAMERA)
            .setWidth(1280)
            .setHeight(720);
    int[][] sizes = {{320, 180}, {640, 360}, {1280, 720}};
    for (int i = 0; i < plan.layers(); i++) {
      b.addLayers(
          VideoLayer.newBuilder()
              .setQuality(VideoQuality.forNumber(i))
              .setWidth(sizes[i][0])
              .setHeight(sizes[i][1]));
    }
    return b.build();
  }

  /** Sends an offer, or remembers to once the outstanding one is answered. */
  private void offer() {
    if (awaitingAnswer) {
      offerWanted = true;
      return;
    }
    awaitingAnswer = true;
    offerWanted = false;
    offerId++;
    String sdp =
        OfferWriter.write(
            new OfferWriter.Offer(
                ufrag,
                pwd,
                certificate.sha256Fingerprint().toString(),
                plan.audio() ? audioSsrc() : 0,
                plan.video(),
                streamId,
                audioCid,
                videoCid,
                plan.layers(),
                recvAudio,
                recvVideo),
            offerId);
    send(SignalRequest.newBuilder().setOffer(description("offer", sdp, offerId)));
  }

  private int audioSsrc() {
    return 0x10000000 | Math.max(bot.publisherIndex(), 0) << 4 | 3;
  }

  private static Builder description(String type, String sdp, int id) {
    return livekit.LivekitRtc.SessionDescription.newBuilder().setType(type).setSdp(sdp).setId(id);
  }

  private void onAnswer(livekit.LivekitRtc.SessionDescription answer)
      throws SdpParseException, DtlsParseException {
    SessionDescription sd = SessionDescription.parse(answer.getSdp());
    if (!mediaStarted) {
      mediaStarted = true;
      bot.startWebRtc(remote(sd), ufrag, pwd, certificate);
    }
    for (MediaDescription m : sd.media()) {
      if (m.direction() == Direction.SENDONLY) {
        for (SsrcGroup g : m.ssrcGroups()) {
          if (g.semantics().equals("FID") && g.ssrcs().size() == 2) {
            bot.addRtx(g.ssrcs().get(0).intValue(), g.ssrcs().get(1).intValue());
          }
        }
      }
    }
    if (plan.quality() != null) {
      List<String> fresh =
          answer.getMidToTrackIdMap().values().stream()
              .filter(sid -> !seenVideoTracks.contains(sid))
              .toList();
      seenVideoTracks.addAll(fresh);
      if (!fresh.isEmpty()) {
        send(
            SignalRequest.newBuilder()
                .setTrackSetting(
                    UpdateTrackSettings.newBuilder()
                        .addAllTrackSids(fresh)
                        .setQuality(plan.quality())));
      }
    }
    awaitingAnswer = false;
    if (offerWanted) {
      offer();
    }
  }

  /** The server's transport from its SDP: the first UDP IPv4 host candidate, ICE, DTLS. */
  public static RemoteMedia remote(SessionDescription sd)
      throws DtlsParseException, SdpParseException {
    MediaDescription m = sd.media().getFirst();
    String ufrag = m.iceUfrag() != null ? m.iceUfrag() : sd.iceUfrag();
    String pwd = m.icePwd() != null ? m.icePwd() : sd.icePwd();
    List<Fingerprint> fps = m.fingerprints().isEmpty() ? sd.fingerprints() : m.fingerprints();
    InetSocketAddress address = null;
    for (String c : m.candidates()) {
      String[] t = c.split(" ");
      if (t.length > 5 && t[2].equalsIgnoreCase("udp") && t[4].indexOf(':') < 0) {
        address = new InetSocketAddress(t[4], Integer.parseInt(t[5]));
        break;
      }
    }
    if (address == null || ufrag == null || pwd == null || fps.isEmpty()) {
      throw new SdpParseException("answer without a UDP IPv4 candidate, ICE or fingerprint");
    }
    Fingerprint f = fps.getFirst();
    return new RemoteMedia(
        address, ufrag, pwd, DtlsFingerprint.parse(f.algorithm() + " " + f.value()));
  }

  private synchronized void send(SignalRequest.Builder request) {
    byte[] b = request.build().toByteArray();
    sending = sending.thenCompose(x -> ws.sendBinary(ByteBuffer.wrap(b), true));
  }

  /** Leaves (closes the WebSocket) and stops pinging. */
  public CompletableFuture<Void> close() {
    if (pinger != null) {
      pinger.cancel(false);
    }
    send(
        SignalRequest.newBuilder()
            .setLeave(
                livekit.LivekitRtc.LeaveRequest.newBuilder()
                    .setReason(livekit.LivekitModels.DisconnectReason.CLIENT_INITIATED)));
    synchronized (this) {
      sending =
          sending
              .exceptionally(e -> null)
              .thenCompose(x -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye"));
    }
    return closed.completeOnTimeout(null, 2, TimeUnit.SECONDS);
  }

  private static String random(int n) {
    StringBuilder sb = new StringBuilder(n);
    ThreadLocalRandom r = ThreadLocalRandom.current();
    for (int i = 0; i < n; i++) {
      sb.append(PASSWORD_CHARS.charAt(r.nextInt(PASSWORD_CHARS.length())));
    }
    return sb.toString();
  }
}
