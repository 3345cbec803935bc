package eu.visio.meet.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.visio.signal.token.VideoGrant.Source;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RoomSettingsTest {
  @ParameterizedTest(name = "{0} participants: {1}")
  @CsvSource({
    "-1, false",
    "0, false",
    "1, false", // alone is not a meeting
    "2, true",
    "150, true",
    "1000, true",
    "1001, false",
    "2147483647, false",
  })
  void theCapIsBounded(int max, boolean accepted) {
    if (accepted) {
      assertThat(RoomSettings.DEFAULTS.withMaxParticipants(max).maxParticipants()).isEqualTo(max);
    } else {
      assertThatThrownBy(() -> RoomSettings.DEFAULTS.withMaxParticipants(max))
          .extracting(e -> ((ValidationException) e).field())
          .isEqualTo("max_participants");
    }
  }

  @Test
  void defaultsLetEveryonePublishEverythingAndMute() {
    assertThat(RoomSettings.DEFAULTS.canPublish()).containsExactlyInAnyOrder(Source.values());
    assertThat(RoomSettings.DEFAULTS.everyoneCanMute()).isTrue();
    assertThat(RoomSettings.DEFAULTS.maxParticipants()).isEqualTo(150);
  }

  @Test
  void sourcesAreCopiedNotShared() {
    Set<Source> mine = EnumSet.of(Source.MICROPHONE);
    RoomSettings s = RoomSettings.DEFAULTS.withCanPublish(mine);
    mine.add(Source.CAMERA);
    assertThat(s.canPublish()).containsExactly(Source.MICROPHONE);
    assertThatThrownBy(() -> s.canPublish().add(Source.CAMERA))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(RoomSettings.DEFAULTS.withCanPublish(Set.of()).canPublish()).isEmpty();
  }

  @Test
  void sourcesReadAndWriteAsLiveKitSpellsThem() {
    assertThat(
            RoomSettings.parseSources(
                List.of("screen_share_audio", "camera", "camera", "microphone")))
        .containsExactlyInAnyOrder(Source.CAMERA, Source.MICROPHONE, Source.SCREEN_SHARE_AUDIO);
    assertThat(RoomSettings.DEFAULTS.wireSources())
        .containsExactly("camera", "microphone", "screen_share", "screen_share_audio");
    assertThat(RoomSettings.parseSources(List.of())).isEmpty();
    for (List<String> bad :
        List.of(
            List.of("Camera"),
            List.of("screen"),
            List.of("camera", ""),
            Arrays.asList("camera", null))) {
      assertThatThrownBy(() -> RoomSettings.parseSources(bad))
          .as(bad.toString())
          .extracting(e -> ((ValidationException) e).field())
          .isEqualTo("can_publish_sources");
    }
    assertThatThrownBy(() -> RoomSettings.parseSources(null))
        .isInstanceOf(ValidationException.class);
    Set<Source> withNull = new HashSet<>();
    withNull.add(null);
    assertThatThrownBy(() -> RoomSettings.DEFAULTS.withCanPublish(withNull))
        .isInstanceOf(ValidationException.class);
  }

  @Property(tries = 1000)
  void anySourceListParsesToWhatItNamesOrIsRefused(@ForAll List<String> wire) {
    List<String> mixed = new ArrayList<>(wire);
    mixed.add("camera"); // so that some lists are valid
    for (List<String> list : List.of(wire, mixed)) {
      try {
        Set<Source> sources = RoomSettings.parseSources(list);
        assertThat(RoomSettings.DEFAULTS.withCanPublish(sources).wireSources())
            .containsExactlyInAnyOrderElementsOf(new HashSet<>(list));
      } catch (ValidationException e) {
        assertThat(e.field()).isEqualTo("can_publish_sources");
      }
    }
  }
}
