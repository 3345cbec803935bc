package eu.visio.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.server.RtcSignalTest;
import eu.visio.signal.livekit.JoinRequests;
import eu.visio.signal.token.TokenIssuer;
import eu.visio.signal.token.VideoGrant;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import livekit.LivekitModels.ClientInfo;
import livekit.LivekitModels.TrackSource;
import livekit.LivekitModels.TrackType;
import livekit.LivekitModels.VideoLayer;
import livekit.LivekitModels.VideoQuality;
import livekit.LivekitRtc.AddTrackRequest;
import livekit.LivekitRtc.JoinRequest;
import livekit.LivekitRtc.Ping;
import livekit.LivekitRtc.SignalRequest;
import livekit.LivekitRtc.SignalResponse;

/**
 * Participants on signalling alone, each announcing a camera: the SFU publishes a track on its
 * announcement, so everyone else sees a camera publication to subscribe to, while no bot encodes or
 * sends a single packet. Enough to fill a meeting of fifty for what the browser does with its
 * subscriptions, at the cost of fifty WebSockets. They ping as livekit-client does, so the server
 * keeps them.
 */
final class CameraBots implements AutoCloseable {
  // Chrome's offers as livekit-client sends them (fixtures of LiveKitNegotiationTest), and the
  // track ids their publish offer carries.
  private static final String JOIN_OFFER = fixture("livekit-chrome-join-offer.sdp");
  private static final String PUBLISH_OFFER = fixture("livekit-chrome-publish-offer.sdp");
  private static final String AUDIO_CID = "600e8060-50fd-4b94-bd64-90c014d71d5f";
  private static final String VIDEO_CID = "4fd0e8cd-611f-49e8-8a7c-2422c6aaba13";

  private final List<RtcSignalTest.Client> clients = new ArrayList<>();
  private final ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor();

  /** {@code count} bots named "bot-01"… in {@code room}, each with a published camera. */
  CameraBots(int httpPort, String room, int count) throws InterruptedException {
    TokenIssuer issuer = new TokenIssuer(DevServer.API_KEY, DevServer.API_SECRET);
    for (int i = 1; i <= count; i++) {
      String identity = String.format("bot-%02d", i);
      String token =
          issuer.issue(
              identity,
              "Bot " + i,
              null,
              Map.of(),
              VideoGrant.join(room).withSources(List.of("camera", "microphone")),
              Duration.ofMinutes(10));
      RtcSignalTest.Client c = join(httpPort, token);
      clients.add(c);
      assertThat(c.next().hasJoin()).as("%s joined", identity).isTrue();
      c.send(track(AUDIO_CID, TrackType.AUDIO, TrackSource.MICROPHONE));
      c.send(track(VIDEO_CID, TrackType.VIDEO, TrackSource.CAMERA));
    }
    for (RtcSignalTest.Client c : clients) {
      awaitPublished(c, 2);
      // The publisher offer puts the announced tracks on m-lines: only then does the SFU list
      // them to the others (no ICE or DTLS follows; nobody waits for media).
      c.send(
          SignalRequest.newBuilder()
              .setOffer(
                  livekit.LivekitRtc.SessionDescription.newBuilder()
                      .setType("offer")
                      .setSdp(PUBLISH_OFFER)
                      .setId(2))
              .build());
    }
    pinger.scheduleAtFixedRate(this::ping, 5, 5, TimeUnit.SECONDS);
  }

  /** Joins over /rtc/v1 with Chrome's join offer, as livekit-client does. */
  private static RtcSignalTest.Client join(int httpPort, String token) {
    JoinRequest join =
        JoinRequest.newBuilder()
            .setClientInfo(ClientInfo.newBuilder().setSdk(ClientInfo.SDK.JS).setProtocol(17))
            .setPublisherOffer(
                livekit.LivekitRtc.SessionDescription.newBuilder()
                    .setType("offer")
                    .setSdp(JOIN_OFFER)
                    .setId(1))
            .build();
    RtcSignalTest.Client c = new RtcSignalTest.Client();
    String url =
        "ws://127.0.0.1:"
            + httpPort
            + "/rtc/v1?access_token="
            + URLEncoder.encode(token, StandardCharsets.UTF_8)
            + "&join_request="
            + JoinRequests.encode(join, true);
    c.ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(url), c).join();
    return c;
  }

  private static SignalRequest track(String cid, TrackType type, TrackSource source) {
    AddTrackRequest.Builder b =
        AddTrackRequest.newBuilder().setCid(cid).setName(cid).setType(type).setSource(source);
    if (type == TrackType.VIDEO) {
      b.setWidth(640).setHeight(360);
      for (VideoQuality q : List.of(VideoQuality.LOW, VideoQuality.MEDIUM, VideoQuality.HIGH)) {
        b.addLayers(VideoLayer.newBuilder().setQuality(q));
      }
    }
    return SignalRequest.newBuilder().setAddTrack(b).build();
  }

  /**
   * Reads until the bot's {@code tracks} announcements are confirmed. Joins and publications of the
   * other bots arrive in between, as many as a hundred on a loaded machine, so the bound is a
   * deadline rather than a count of messages.
   */
  private static void awaitPublished(RtcSignalTest.Client c, int tracks)
      throws InterruptedException {
    int published = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (published < tracks && System.nanoTime() < deadline) {
      SignalResponse r = c.messages.poll(1, TimeUnit.SECONDS);
      if (r != null && r.getMessageCase() == SignalResponse.MessageCase.TRACK_PUBLISHED) {
        published++;
      }
    }
    assertThat(published).as("tracks announced").isEqualTo(tracks);
  }

  private static String fixture(String name) {
    try (InputStream in = CameraBots.class.getResourceAsStream("/sdp/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void ping() {
    for (RtcSignalTest.Client c : clients) {
      try {
        c.send(
            SignalRequest.newBuilder()
                .setPingReq(Ping.newBuilder().setTimestamp(System.currentTimeMillis()))
                .build());
        c.messages.clear(); // nobody reads them: keep memory flat
      } catch (RuntimeException e) {
        // a closed bot: the test's assertions will say so
      }
    }
  }

  @Override
  public void close() {
    pinger.shutdownNow();
    for (RtcSignalTest.Client c : clients) {
      c.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
  }
}
