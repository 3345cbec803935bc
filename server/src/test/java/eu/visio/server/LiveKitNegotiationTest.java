package eu.visio.server;

import static eu.visio.server.RtcSignalTest.token;
import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.sdp.Direction;
import eu.visio.media.sdp.MediaDescription;
import eu.visio.media.sdp.SessionDescription;
import eu.visio.signal.livekit.JoinRequests;
import eu.visio.signal.token.VideoGrant;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
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
import livekit.LivekitRtc.UpdateSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Offer and answer over {@code /rtc/v1}, with real Chrome offers from livekit-client (see {@code
 * sdp/README.md}) and no browser: receive slots, publications matched by msid, subscriptions placed
 * on slots with their {@code mid_to_track_id}, more slots asked for, slots drained.
 */
class LiveKitNegotiationTest {
  static final String JOIN_OFFER = WhipHttp.fixture("livekit-chrome-join-offer.sdp");
  static final String PUBLISH_OFFER = WhipHttp.fixture("livekit-chrome-publish-offer.sdp");
  static final String AUDIO_CID = "600e8060-50fd-4b94-bd64-90c014d71d5f";
  static final String VIDEO_CID = "4fd0e8cd-611f-49e8-8a7c-2422c6aaba13";

  static VisioServer server;

  @BeforeAll
  static void start() {
    server = TestServers.withKeys();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Joins over /rtc/v1 with {@code offer} in the join request, as livekit-client does. */
  static RtcSignalTest.Client join(String identity, String room, VideoGrant grant, String offer) {
    JoinRequest.Builder join =
        JoinRequest.newBuilder()
            .setClientInfo(ClientInfo.newBuilder().setSdk(ClientInfo.SDK.JS).setProtocol(17))
            .setConnectionSettings(ConnectionSettings.newBuilder().setAutoSubscribe(true));
    if (offer != null) {
      join.setPublisherOffer(sdp("offer", offer, 1));
    }
    RtcSignalTest.Client c = new RtcSignalTest.Client();
    String url =
        "ws://127.0.0.1:"
            + server.httpPort()
            + "/rtc/v1?access_token="
            + URLEncoder.encode(token(identity, grant), StandardCharsets.UTF_8)
            + "&join_request="
            + JoinRequests.encode(join.build(), true);
    c.ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(url), c).join();
    return c;
  }

  static Builder sdp(String type, String sdp, int id) {
    return livekit.LivekitRtc.SessionDescription.newBuilder().setType(type).setSdp(sdp).setId(id);
  }

  /** The next message of a kind, skipping participant updates and the like. */
  static SignalResponse next(RtcSignalTest.Client c, SignalResponse.MessageCase kind)
      throws InterruptedException {
    for (int i = 0; i < 20; i++) {
      SignalResponse r = c.next();
      if (r.getMessageCase() == kind) {
        return r;
      }
    }
    throw new AssertionError("no " + kind);
  }

  static SessionDescription parse(SignalResponse answer) throws Exception {
    return SessionDescription.parse(answer.getAnswer().getSdp());
  }

  static MediaDescription media(SessionDescription sd, String mid) {
    return sd.media().stream().filter(m -> mid.equals(m.mid())).findFirst().orElseThrow();
  }

  static SignalRequest addTrack(String cid, TrackType type, TrackSource source) {
    AddTrackRequest.Builder b =
        AddTrackRequest.newBuilder().setCid(cid).setType(type).setSource(source).setName(cid);
    if (type == TrackType.VIDEO) {
      b.setWidth(1280).setHeight(720);
      for (VideoQuality q : List.of(VideoQuality.LOW, VideoQuality.MEDIUM, VideoQuality.HIGH)) {
        b.addLayers(VideoLayer.newBuilder().setQuality(q));
      }
    }
    return SignalRequest.newBuilder().setAddTrack(b).build();
  }

  @Test
  void slotsPublicationsAndSubscriptions() throws Exception {
    RtcSignalTest.Client alice = join("alice", "nego", VideoGrant.join("nego"), JOIN_OFFER);
    assertThat(alice.next().hasJoin()).as("JoinResponse first").isTrue();
    SignalResponse first = next(alice, SignalResponse.MessageCase.ANSWER);
    assertThat(first.getAnswer().getId()).isEqualTo(1);
    SessionDescription a1 = parse(first);
    assertThat(a1.iceLite()).isTrue();
    assertThat(a1.bundleMids()).containsExactly("0", "1", "2", "3", "4", "5", "6");
    for (String mid : List.of("0", "1", "2", "3", "4", "5")) {
      assertThat(media(a1, mid).direction()).as("idle slot " + mid).isEqualTo(Direction.INACTIVE);
      assertThat(media(a1, mid).port()).isNotZero();
    }
    assertThat(media(a1, "6").formats()).containsExactly("webrtc-datachannel");
    assertThat(first.getAnswer().getMidToTrackIdMap()).isEmpty();

    alice.send(addTrack(AUDIO_CID, TrackType.AUDIO, TrackSource.MICROPHONE));
    alice.send(addTrack(VIDEO_CID, TrackType.VIDEO, TrackSource.CAMERA));
    var mic = next(alice, SignalResponse.MessageCase.TRACK_PUBLISHED).getTrackPublished();
    var cam = next(alice, SignalResponse.MessageCase.TRACK_PUBLISHED).getTrackPublished();
    assertThat(mic.getCid()).isEqualTo(AUDIO_CID);
    assertThat(mic.getTrack().getSid()).startsWith("TR_");
    assertThat(cam.getTrack().getSimulcast()).isTrue();

    alice.send(SignalRequest.newBuilder().setOffer(sdp("offer", PUBLISH_OFFER, 2)).build());
    SignalResponse second = next(alice, SignalResponse.MessageCase.ANSWER);
    assertThat(second.getAnswer().getId()).isEqualTo(2);
    SessionDescription a2 = parse(second);
    assertThat(media(a2, "7").direction()).isEqualTo(Direction.RECVONLY);
    assertThat(media(a2, "8").direction()).isEqualTo(Direction.RECVONLY);
    assertThat(media(a2, "8").simulcast().recv()).hasSize(3);
    assertThat(media(a2, "1").iceUfrag())
        .as("the same transport")
        .isEqualTo(media(a1, "1").iceUfrag());

    // Bob joins with six idle receive slots: the answer puts alice's tracks on two of them.
    RtcSignalTest.Client bob = join("bob", "nego", VideoGrant.join("nego"), JOIN_OFFER);
    var bobJoin = bob.next().getJoin();
    var aliceSeen = bobJoin.getOtherParticipants(0);
    assertThat(aliceSeen.getTracksList())
        .extracting(t -> t.getMimeType())
        .containsExactlyInAnyOrder("audio/opus", "video/VP8");
    SignalResponse bobAnswer = next(bob, SignalResponse.MessageCase.ANSWER);
    Map<String, String> midToTrack = bobAnswer.getAnswer().getMidToTrackIdMap();
    assertThat(midToTrack).containsEntry("0", mic.getTrack().getSid());
    assertThat(midToTrack).containsEntry("3", cam.getTrack().getSid());
    SessionDescription b1 = parse(bobAnswer);
    assertThat(media(b1, "0").direction()).isEqualTo(Direction.SENDONLY);
    assertThat(media(b1, "0").msids().getFirst().streamId())
        .as("participant sid | track sid, as livekit-client reads it")
        .isEqualTo(aliceSeen.getSid() + "|" + mic.getTrack().getSid());
    assertThat(media(b1, "3").direction()).isEqualTo(Direction.SENDONLY);
    assertThat(media(b1, "3").ssrcGroups()).hasSize(1);
    assertThat(media(b1, "1").direction()).isEqualTo(Direction.INACTIVE);

    // Unsubscribing the camera drains its slot: an empty requirement asks bob to offer again.
    bob.send(
        SignalRequest.newBuilder()
            .setSubscription(
                UpdateSubscription.newBuilder()
                    .addTrackSids(cam.getTrack().getSid())
                    .setSubscribe(false))
            .build());
    var req =
        next(bob, SignalResponse.MessageCase.MEDIA_SECTIONS_REQUIREMENT)
            .getMediaSectionsRequirement();
    assertThat(req.getNumAudios() + req.getNumVideos()).isZero();
    bob.send(SignalRequest.newBuilder().setOffer(sdp("offer", JOIN_OFFER, 2)).build());
    SignalResponse drained = next(bob, SignalResponse.MessageCase.ANSWER);
    assertThat(media(parse(drained), "3").direction()).isEqualTo(Direction.INACTIVE);
    assertThat(drained.getAnswer().getMidToTrackIdMap()).containsOnlyKeys("0");

    alice.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    bob.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
  }

  /** Without free receive slots, the server asks the client for as many as it needs. */
  @Test
  void missingSlotsAreAskedFor() throws Exception {
    RtcSignalTest.Client pub = join("pub", "slots", VideoGrant.join("slots"), JOIN_OFFER);
    pub.next();
    next(pub, SignalResponse.MessageCase.ANSWER);
    pub.send(addTrack(AUDIO_CID, TrackType.AUDIO, TrackSource.MICROPHONE));
    pub.send(addTrack(VIDEO_CID, TrackType.VIDEO, TrackSource.CAMERA));
    pub.send(SignalRequest.newBuilder().setOffer(sdp("offer", PUBLISH_OFFER, 2)).build());
    next(pub, SignalResponse.MessageCase.ANSWER);

    // An offer with only the data channel: no slot for the two tracks.
    String dataOnly =
        JOIN_OFFER
                .substring(0, JOIN_OFFER.indexOf("m=audio"))
                .replace("a=group:BUNDLE 0 1 2 3 4 5 6", "a=group:BUNDLE 6")
            + JOIN_OFFER.substring(JOIN_OFFER.indexOf("m=application"));
    RtcSignalTest.Client sub = join("sub", "slots", VideoGrant.join("slots"), dataOnly);
    sub.next();
    next(sub, SignalResponse.MessageCase.ANSWER);
    var req =
        next(sub, SignalResponse.MessageCase.MEDIA_SECTIONS_REQUIREMENT)
            .getMediaSectionsRequirement();
    assertThat(req.getNumAudios()).isEqualTo(1);
    assertThat(req.getNumVideos()).isEqualTo(1);
    pub.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    sub.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
  }

  /** The token decides: no canPublish, no publication, whatever the client sends. */
  @Test
  void aTrackTheTokenForbidsIsNotPublished() throws Exception {
    VideoGrant viewer = VideoGrant.join("forbid").withCanPublish(false);
    RtcSignalTest.Client c = join("viewer", "forbid", viewer, JOIN_OFFER);
    assertThat(c.next().getJoin().getParticipant().getPermission().getCanPublish()).isFalse();
    next(c, SignalResponse.MessageCase.ANSWER);
    c.send(addTrack(AUDIO_CID, TrackType.AUDIO, TrackSource.MICROPHONE));
    c.send(SignalRequest.newBuilder().setPing(3).build());
    assertThat(next(c, SignalResponse.MessageCase.PONG).getPong()).isEqualTo(3);
    assertThat(c.messages).noneMatch(SignalResponse::hasTrackPublished);
    c.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
  }

  /** An offer that is not SDP ends this participant's session with the reason. */
  @Test
  void aBadOfferEndsTheSessionWithTheReason() throws Exception {
    RtcSignalTest.Client c = join("broken", "bad-sdp", VideoGrant.join("bad-sdp"), null);
    c.next();
    c.send(SignalRequest.newBuilder().setOffer(sdp("offer", "v=0\r\nnonsense", 1)).build());
    assertThat(c.closed.get(5, TimeUnit.SECONDS)).startsWith("1000 bad SDP offer");
  }

  /**
   * A publisher restricting who may receive its tracks: the subscriber it leaves out loses them
   * (told by SubscriptionPermissionUpdate, its slots drained); allowing it again brings them back.
   */
  @Test
  void subscriptionPermissionIsEnforced() throws Exception {
    RtcSignalTest.Client pub = join("owner", "perm", VideoGrant.join("perm"), JOIN_OFFER);
    var ownerSid = pub.next().getJoin().getParticipant().getSid();
    next(pub, SignalResponse.MessageCase.ANSWER);
    pub.send(addTrack(AUDIO_CID, TrackType.AUDIO, TrackSource.MICROPHONE));
    var mic = next(pub, SignalResponse.MessageCase.TRACK_PUBLISHED).getTrackPublished().getTrack();
    pub.send(SignalRequest.newBuilder().setOffer(sdp("offer", PUBLISH_OFFER, 2)).build());
    next(pub, SignalResponse.MessageCase.ANSWER);

    RtcSignalTest.Client guest = join("guest", "perm", VideoGrant.join("perm"), JOIN_OFFER);
    guest.next();
    assertThat(next(guest, SignalResponse.MessageCase.ANSWER).getAnswer().getMidToTrackIdMap())
        .containsValue(mic.getSid());

    pub.send(
        SignalRequest.newBuilder()
            .setSubscriptionPermission(
                livekit.LivekitRtc.SubscriptionPermission.newBuilder().setAllParticipants(false))
            .build());
    var denied =
        next(guest, SignalResponse.MessageCase.SUBSCRIPTION_PERMISSION_UPDATE)
            .getSubscriptionPermissionUpdate();
    assertThat(denied.getTrackSid()).isEqualTo(mic.getSid());
    assertThat(denied.getParticipantSid()).isEqualTo(ownerSid);
    assertThat(denied.getAllowed()).isFalse();
    next(guest, SignalResponse.MessageCase.MEDIA_SECTIONS_REQUIREMENT);
    guest.send(SignalRequest.newBuilder().setOffer(sdp("offer", JOIN_OFFER, 2)).build());
    assertThat(next(guest, SignalResponse.MessageCase.ANSWER).getAnswer().getMidToTrackIdMap())
        .as("the track left the guest's slots")
        .isEmpty();

    pub.send(
        SignalRequest.newBuilder()
            .setSubscriptionPermission(
                livekit.LivekitRtc.SubscriptionPermission.newBuilder()
                    .setAllParticipants(false)
                    .addTrackPermissions(
                        livekit.LivekitRtc.TrackPermission.newBuilder()
                            .setParticipantIdentity("guest")
                            .setAllTracks(true)))
            .build());
    assertThat(
            next(guest, SignalResponse.MessageCase.SUBSCRIPTION_PERMISSION_UPDATE)
                .getSubscriptionPermissionUpdate()
                .getAllowed())
        .isTrue();
    next(guest, SignalResponse.MessageCase.MEDIA_SECTIONS_REQUIREMENT);
    guest.send(SignalRequest.newBuilder().setOffer(sdp("offer", JOIN_OFFER, 3)).build());
    assertThat(next(guest, SignalResponse.MessageCase.ANSWER).getAnswer().getMidToTrackIdMap())
        .containsValue(mic.getSid());
    pub.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    guest.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
  }

  /**
   * Resuming a session the server no longer has: the client is told to reconnect fully (LiveKit's
   * LeaveRequest RECONNECT), which livekit-client does at once.
   */
  @Test
  void anUnknownSessionCannotResume() throws Exception {
    JoinRequest resume =
        JoinRequest.newBuilder()
            .setClientInfo(ClientInfo.newBuilder().setSdk(ClientInfo.SDK.JS).setProtocol(17))
            .setReconnect(true)
            .setParticipantSid("PA_gone")
            .build();
    RtcSignalTest.Client c = new RtcSignalTest.Client();
    String url =
        "ws://127.0.0.1:"
            + server.httpPort()
            + "/rtc/v1?access_token="
            + URLEncoder.encode(token("ghost", VideoGrant.join("resume")), StandardCharsets.UTF_8)
            + "&join_request="
            + JoinRequests.encode(resume, false);
    c.ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(url), c).join();
    var leave = c.next().getLeave();
    assertThat(leave.getAction()).isEqualTo(livekit.LivekitRtc.LeaveRequest.Action.RECONNECT);
    assertThat(c.closed.get(5, TimeUnit.SECONDS)).isEqualTo("1008 no session to resume");
  }

  /** A token of LiveKit's own SDK, with the grants given. */
  static String sdkToken(String identity, io.livekit.server.VideoGrant... grants) {
    io.livekit.server.AccessToken t =
        new io.livekit.server.AccessToken(TestServers.API_KEY, TestServers.API_SECRET);
    t.setIdentity(identity);
    t.addGrants(grants);
    return t.toJwt();
  }

  static RtcSignalTest.Client joinWith(String token, String offer) {
    JoinRequest.Builder join =
        JoinRequest.newBuilder()
            .setClientInfo(ClientInfo.newBuilder().setSdk(ClientInfo.SDK.JS).setProtocol(17))
            .setConnectionSettings(ConnectionSettings.newBuilder().setAutoSubscribe(true))
            .setPublisherOffer(sdp("offer", offer, 1));
    RtcSignalTest.Client c = new RtcSignalTest.Client();
    String url =
        "ws://127.0.0.1:"
            + server.httpPort()
            + "/rtc/v1?access_token="
            + URLEncoder.encode(token, StandardCharsets.UTF_8)
            + "&join_request="
            + JoinRequests.encode(join.build(), true);
    c.ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(url), c).join();
    return c;
  }

  /**
   * Grants from LiveKit's SDK tokens, enforced: a source outside canPublishSources is not
   * published; a hidden participant is in nobody's list; an admin's MutePublishedTrack mutes a live
   * track for its owner and everyone.
   */
  @Test
  void sourcesHiddenAndAdminMute() throws Exception {
    RtcSignalTest.Client cam =
        joinWith(
            sdkToken(
                "cam-only",
                new io.livekit.server.RoomJoin(true),
                new io.livekit.server.RoomName("grants"),
                new io.livekit.server.CanPublishSources(List.of("camera"))),
            JOIN_OFFER);
    cam.next();
    next(cam, SignalResponse.MessageCase.ANSWER);
    cam.send(addTrack(AUDIO_CID, TrackType.AUDIO, TrackSource.MICROPHONE));
    cam.send(addTrack(VIDEO_CID, TrackType.VIDEO, TrackSource.CAMERA));
    var published = next(cam, SignalResponse.MessageCase.TRACK_PUBLISHED).getTrackPublished();
    assertThat(published.getCid()).as("the camera only").isEqualTo(VIDEO_CID);
    cam.send(SignalRequest.newBuilder().setOffer(sdp("offer", PUBLISH_OFFER, 2)).build());
    next(cam, SignalResponse.MessageCase.ANSWER);

    RtcSignalTest.Client ghost =
        joinWith(
            sdkToken(
                "ghost",
                new io.livekit.server.RoomJoin(true),
                new io.livekit.server.RoomName("grants"),
                new io.livekit.server.Hidden(true)),
            JOIN_OFFER);
    var ghostJoin = ghost.next().getJoin();
    assertThat(ghostJoin.getOtherParticipantsList())
        .extracting(p -> p.getIdentity())
        .containsExactly("cam-only");
    RtcSignalTest.Client seer = join("seer", "grants", VideoGrant.join("grants"), JOIN_OFFER);
    assertThat(seer.next().getJoin().getOtherParticipantsList())
        .extracting(p -> p.getIdentity())
        .as("the hidden participant is not listed")
        .containsExactly("cam-only");

    var sdk =
        io.livekit.server.RoomServiceClient.Companion.createClient(
            "http://127.0.0.1:" + server.httpPort(),
            TestServers.API_KEY,
            TestServers.API_SECRET,
            okhttp3.OkHttpClient::new);
    var muted =
        sdk.mutePublishedTrack("grants", "cam-only", published.getTrack().getSid(), true).execute();
    assertThat(muted.body().getMuted()).isTrue();
    var told = next(cam, SignalResponse.MessageCase.MUTE).getMute();
    assertThat(told.getSid()).isEqualTo(published.getTrack().getSid());
    assertThat(told.getMuted()).isTrue();
    var seen = next(seer, SignalResponse.MessageCase.UPDATE).getUpdate().getParticipants(0);
    assertThat(seen.getTracks(0).getMuted()).isTrue();
    for (RtcSignalTest.Client c : List.of(cam, ghost, seer)) {
      c.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }
  }
}
