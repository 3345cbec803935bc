package eu.visio.server;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.meet.moderation.Moderation;
import eu.visio.signal.token.VideoGrant;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.ParticipantPermission;
import livekit.LivekitRtc.SignalResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Host moderation acted out through the SFU and seen by the participants over LiveKit signalling:
 * raised hands in time order, a role change, removal and the end of the meeting.
 */
class ModerationTest {
  static VisioServer server;
  static Moderation moderation;

  @BeforeAll
  static void start() {
    server = TestServers.withKeys();
    moderation = new Moderation(server.rooms());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Waits for a message {@code c} receives that matches. */
  static SignalResponse await(RtcSignalTest.Client c, Predicate<SignalResponse> p)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      SignalResponse r = c.messages.poll(100, TimeUnit.MILLISECONDS);
      if (r != null && p.test(r)) {
        return r;
      }
    }
    throw new AssertionError("no matching message within 5 s");
  }

  static Predicate<SignalResponse> update(String identity, Predicate<ParticipantInfo> p) {
    return r ->
        r.hasUpdate()
            && r.getUpdate().getParticipantsList().stream()
                .anyMatch(i -> i.getIdentity().equals(identity) && p.test(i));
  }

  @Test
  void handsRolesRemovalAndTheEnd() throws Exception {
    String room = "moderated";
    RtcSignalTest.Client host = RtcSignalTest.connect(server.httpPort(), token("host", room));
    RtcSignalTest.Client ana = RtcSignalTest.connect(server.httpPort(), token("ana", room));
    RtcSignalTest.Client ben = RtcSignalTest.connect(server.httpPort(), token("ben", room));
    await(host, r -> r.hasJoin());
    await(ana, r -> r.hasJoin());
    await(ben, r -> r.hasJoin());

    // Ben raises his hand before Ana: the order is the order in time, whoever asked first here.
    Instant t = Instant.parse("2026-11-28T10:00:00Z");
    assertThat(moderation.raiseHand(room, "ben", t)).isTrue();
    assertThat(moderation.raiseHand(room, "ana", t.plusSeconds(3))).isTrue();
    assertThat(moderation.raiseHand(room, "ben", t.plusSeconds(9))).as("keeps its place").isTrue();
    await(host, update("ana", i -> i.getAttributesMap().containsKey(Moderation.HAND_RAISED_AT)));
    assertThat(moderation.raisedHands(room))
        .extracting(ParticipantInfo::getIdentity)
        .containsExactly("ben", "ana");
    assertThat(moderation.lowerAllHands(room)).isEqualTo(2);
    await(host, update("ana", i -> !i.getAttributesMap().containsKey(Moderation.HAND_RAISED_AT)));
    assertThat(moderation.raisedHands(room)).isEmpty();

    // Ana becomes co-host: everyone sees her role, and she gets admin rights.
    assertThat(
            moderation.setRole(
                room,
                "ana",
                "administrator",
                true,
                ParticipantPermission.newBuilder()
                    .setCanSubscribe(true)
                    .setCanPublish(true)
                    .setCanPublishData(true)
                    .build()))
        .isPresent();
    await(
        ben,
        update(
            "ana",
            i ->
                "administrator".equals(i.getAttributesMap().get("room_role"))
                    && "true".equals(i.getAttributesMap().get(Moderation.CO_HOST))));
    assertThat(moderation.muteEveryone(room, "host")).as("nobody publishes a microphone").isZero();

    // Ben is removed: he is told to leave, the others see him go.
    assertThat(moderation.remove(room, "ben")).isTrue();
    await(ben, SignalResponse::hasLeave);
    await(host, update("ben", i -> i.getState() == ParticipantInfo.State.DISCONNECTED));
    assertThat(moderation.remove(room, "ben")).as("gone already").isFalse();

    // The end of the meeting disconnects everyone.
    assertThat(moderation.endMeeting(room)).isTrue();
    await(host, SignalResponse::hasLeave);
    await(ana, SignalResponse::hasLeave);
    assertThat(moderation.raiseHand(room, "ana", t)).as("no such room any more").isFalse();
  }

  static String token(String identity, String room) {
    return RtcSignalTest.token(identity, VideoGrant.join(room));
  }
}
