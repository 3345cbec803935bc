package eu.visio.meet.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Free text and enum spellings: room names, user profiles, access levels, roles, kinds. */
class NamesTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "plain              | Weekly sync",
        "accents            | Réunion d'équipe",
        "emoji (a pair)     | \uD83D\uDE80 launch",
        "a code as name     | abc-defg-hij",
      })
  void roomNamesPeopleUseAreAccepted(String what, String name) {
    assertThat(Room.checkName(name)).isEqualTo(name);
  }

  @Test
  void roomNamesAreBoundedAndOneLine() {
    assertThat(Room.checkName("x".repeat(Room.MAX_NAME))).hasSize(500);
    String[][] refused = {
      {"too long", "x".repeat(Room.MAX_NAME + 1)},
      {"empty", ""},
      {"blank", "  \u2003 "},
      {"line break", "one\ntwo"},
      {"NUL, which PostgreSQL refuses", "a\u0000b"},
      {"DEL", "a\u007Fb"},
      {"lone high surrogate", "a\uD83D"},
      {"lone low surrogate", "\uDE80a"},
      {"swapped pair", "\uDE80\uD83D"},
    };
    for (String[] r : refused) {
      assertThatThrownBy(() -> Room.checkName(r[1]))
          .as(r[0])
          .isInstanceOf(ValidationException.class)
          .extracting(e -> ((ValidationException) e).field())
          .isEqualTo("name");
    }
    assertThatThrownBy(() -> Room.checkName(null)).isInstanceOf(ValidationException.class);
  }

  @Property(tries = 2000)
  void anyRoomNameIsAcceptedUnchangedOrRefused(@ForAll @StringLength(max = 600) String name) {
    try {
      assertThat(Room.checkName(name)).isSameAs(name);
      assertThat(name.length()).isBetween(1, Room.MAX_NAME);
    } catch (ValidationException e) {
      assertThat(e.field()).isEqualTo("name");
    }
  }

  @Test
  void usersNeedAnIdentityButMayHaveNoProfile() {
    Instant t = Instant.EPOCH;
    UUID id = UUID.randomUUID();
    assertThat(new User(id, "https://id.example", "sub-1", "", "", t).email()).isEmpty();
    assertThatThrownBy(() -> new User(id, "", "sub-1", "", "", t))
        .extracting(e -> ((ValidationException) e).field())
        .isEqualTo("issuer");
    assertThatThrownBy(() -> new User(id, "https://id.example", "s".repeat(256), "", "", t))
        .extracting(e -> ((ValidationException) e).field())
        .isEqualTo("subject");
    assertThatThrownBy(() -> new User(id, "https://id.example", "s", "e".repeat(255), "", t))
        .extracting(e -> ((ValidationException) e).field())
        .isEqualTo("email");
    assertThatThrownBy(() -> new User(id, "https://id.example", "s", "", "a\nb", t))
        .extracting(e -> ((ValidationException) e).field())
        .isEqualTo("full_name");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "public, PUBLIC",
    "trusted, TRUSTED",
    "restricted, RESTRICTED",
  })
  void accessLevelsReadAsTheyAreWritten(String wire, AccessLevel level) {
    assertThat(AccessLevel.parse(wire)).isEqualTo(level);
    assertThat(level.wire()).isEqualTo(wire);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"owner, OWNER, true", "administrator, ADMINISTRATOR, true", "member, MEMBER, false"})
  void rolesReadAsTheyAreWrittenAndKnowWhoHosts(String wire, Role role, boolean host) {
    assertThat(Role.parse(wire)).isEqualTo(role);
    assertThat(role.wire()).isEqualTo(wire);
    assertThat(role.isHost()).isEqualTo(host);
  }

  @Test
  void kindsReadAsTheyAreWritten() {
    assertThat(RoomKind.parse("instant")).isEqualTo(RoomKind.INSTANT);
    assertThat(RoomKind.parse("permanent")).isEqualTo(RoomKind.PERMANENT);
    assertThat(RoomKind.PERMANENT.wire()).isEqualTo("permanent");
  }

  @Test
  void enumSpellingsAreExact() {
    for (String bad : new String[] {"PUBLIC", "Public", " public", "", "owner"}) {
      assertThatThrownBy(() -> AccessLevel.parse(bad))
          .as(bad)
          .extracting(e -> ((ValidationException) e).field())
          .isEqualTo("access_level");
    }
    assertThatThrownBy(() -> Role.parse(null))
        .extracting(e -> ((ValidationException) e).field())
        .isEqualTo("role");
    assertThatThrownBy(() -> RoomKind.parse("Instant"))
        .extracting(e -> ((ValidationException) e).field())
        .isEqualTo("kind");
  }

  @Property(tries = 1000)
  void anyEnumSpellingParsesOrIsRefused(@ForAll String wire) {
    for (Runnable parse :
        new Runnable[] {
          () -> assertThat(AccessLevel.parse(wire).wire()).isEqualTo(wire),
          () -> assertThat(Role.parse(wire).wire()).isEqualTo(wire),
          () -> assertThat(RoomKind.parse(wire).wire()).isEqualTo(wire)
        }) {
      try {
        parse.run();
      } catch (ValidationException expected) {
        // refused: the only other outcome allowed
      }
    }
  }
}
