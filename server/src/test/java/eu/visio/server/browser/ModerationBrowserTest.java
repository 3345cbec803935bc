package eu.visio.server.browser;

import static eu.visio.server.browser.LiveKitPage.events;
import static eu.visio.server.browser.LiveKitPage.track;
import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.meet.moderation.Moderation;
import eu.visio.server.TestServers;
import eu.visio.server.VisioServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Host moderation seen from livekit-client participants in Chromium: a host mutes one microphone,
 * then everyone's; the muted participant's own client mutes its track (LiveKit's server-initiated
 * mute) and the others see it muted; a removed participant is disconnected.
 */
@Tag("browser")
class ModerationBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void hostsMuteAndRemoveThroughTheSfu() throws Exception {
    try (VisioServer server = TestServers.withKeys();
        LiveKitPage ann = new LiveKitPage(server.httpPort(), "ann");
        LiveKitPage bob = new LiveKitPage(server.httpPort(), "bob");
        LiveKitPage cat = new LiveKitPage(server.httpPort(), "cat")) {
      String room = "moderation";
      for (LiveKitPage p : List.of(ann, bob, cat)) {
        p.connect(
            server.httpPort(),
            LiveKitBrowserTest.token(p.identity, room),
            "{camera: false, microphone: true}");
      }
      for (LiveKitPage p : List.of(ann, bob)) {
        for (String other : List.of("ann", "bob", "cat")) {
          if (!other.equals(p.identity)) {
            p.awaitState(s -> track(s, other, "audio") != null, WAIT);
          }
        }
      }
      Moderation moderation = new Moderation(server.rooms());

      assertThat(moderation.muteMicrophone(room, "bob")).isTrue();
      ann.awaitState(s -> Boolean.TRUE.equals(track(s, "bob", "audio").get("muted")), WAIT);
      cat.awaitState(s -> Boolean.TRUE.equals(track(s, "bob", "audio").get("muted")), WAIT);
      assertThat(Boolean.TRUE.equals(track(ann.state(), "cat", "audio").get("muted")))
          .as("only bob")
          .isFalse();

      assertThat(moderation.muteEveryone(room, "ann"))
          .as("cat's, bob's is muted already")
          .isEqualTo(1);
      bob.awaitState(s -> Boolean.TRUE.equals(track(s, "cat", "audio").get("muted")), WAIT);
      bob.awaitState(s -> !Boolean.TRUE.equals(track(s, "ann", "audio").get("muted")), WAIT);

      // A host narrows what participants may publish to the camera: their microphones stop, for
      // everyone, without the clients doing anything.
      assertThat(
              moderation.permitMembers(
                  room,
                  eu.visio.meet.access.ParticipantTokens.permission(
                      false, java.util.Set.of(eu.visio.signal.token.VideoGrant.Source.CAMERA))))
          .isEqualTo(3);
      cat.awaitState(s -> track(s, "bob", "audio") == null, WAIT);
      bob.awaitState(s -> track(s, "ann", "audio") == null, WAIT);

      assertThat(moderation.remove(room, "cat")).isTrue();
      cat.awaitState(s -> events(s).stream().anyMatch(e -> e.startsWith("disconnected(")), WAIT);
      ann.awaitState(s -> events(s).contains("participantDisconnected:cat"), WAIT);
    }
  }
}
