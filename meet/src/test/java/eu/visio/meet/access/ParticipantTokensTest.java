package eu.visio.meet.access;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.meet.access.ParticipantTokens.Admission;
import eu.visio.signal.token.AccessClaims;
import eu.visio.signal.token.ApiKeys;
import eu.visio.signal.token.TokenIssuer;
import eu.visio.signal.token.TokenVerifier;
import eu.visio.signal.token.VideoGrant;
import eu.visio.signal.token.VideoGrant.Source;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ParticipantTokensTest {
  static final String KEY = "meetkey";
  static final String SECRET = "meet-secret-meet-secret-meet-secret-0123";

  static Stream<Arguments> grants() {
    Set<Source> camMic = EnumSet.of(Source.MICROPHONE, Source.CAMERA);
    List<String> all = List.of("camera", "microphone", "screen_share", "screen_share_audio");
    return Stream.of(
        // role, host, room sources -> publish, sources, admin
        Arguments.of("member", false, camMic, true, List.of("camera", "microphone"), false),
        Arguments.of("member", false, Set.of(), false, List.of(), false),
        Arguments.of("member", false, EnumSet.allOf(Source.class), true, all, false),
        Arguments.of("administrator", true, Set.of(), true, all, true),
        Arguments.of("owner", true, camMic, true, all, true));
  }

  @ParameterizedTest(name = "{0} (host {1}) in a room allowing {2}")
  @MethodSource("grants")
  void grantsFollowTheRoleAndTheRoom(
      String role,
      boolean host,
      Set<Source> sources,
      boolean publish,
      List<String> granted,
      boolean admin) {
    VideoGrant g =
        ParticipantTokens.grant(new Admission("room-1", "u", "U", role, host, true, sources));
    assertThat(g.roomJoin()).isTrue();
    assertThat(g.room()).isEqualTo("room-1");
    assertThat(g.mayPublish()).isEqualTo(publish);
    assertThat(g.canPublishSources()).containsExactlyElementsOf(granted);
    assertThat(g.roomAdmin()).isEqualTo(admin);
    assertThat(g.canPublishData()).isTrue();
    assertThat(g.canUpdateOwnMetadata()).as("nobody promotes themselves").isFalse();
    assertThat(g.roomCreate() || g.roomList() || g.roomRecord()).isFalse();
  }

  @Test
  void aMintedTokenVerifiesWithItsAttributes() throws Exception {
    ParticipantTokens tokens = new ParticipantTokens(new TokenIssuer(KEY, SECRET));
    String jwt =
        tokens.mint(
            new Admission(
                "room-1",
                "guest-42",
                "Ana",
                "member",
                false,
                false,
                EnumSet.of(Source.MICROPHONE)));
    AccessClaims c = new TokenVerifier(ApiKeys.of(Map.of(KEY, SECRET))).verify(jwt);
    assertThat(c.identity()).isEqualTo("guest-42");
    assertThat(c.name()).isEqualTo("Ana");
    assertThat(c.attributes())
        .containsEntry("room_role", "member")
        .containsEntry("is_authenticated", "false")
        .containsKey("color");
    assertThat(c.video().canPublishSources()).containsExactly("microphone");
    assertThat(Duration.between(c.notBefore(), c.expires())).isEqualTo(ParticipantTokens.TTL);
  }

  @Test
  void colorsAreStablePerIdentity() {
    assertThat(ParticipantTokens.color("ana")).isEqualTo(ParticipantTokens.color("ana"));
    assertThat(ParticipantTokens.color("ana")).matches("hsl\\(\\d{1,3}, 45%, 50%\\)");
    assertThat(
            Stream.of("a", "b", "c", "d", "e", "f")
                .map(ParticipantTokens::color)
                .distinct()
                .count())
        .as("identities spread over hues")
        .isGreaterThan(3);
  }
}
