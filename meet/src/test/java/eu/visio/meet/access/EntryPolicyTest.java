package eu.visio.meet.access;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.meet.access.EntryPolicy.Outcome;
import eu.visio.meet.lobby.Lobby.Status;
import eu.visio.meet.room.AccessLevel;
import eu.visio.meet.room.Role;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EntryPolicyTest {
  @ParameterizedTest(name = "{0} locked={1} signedIn={2} role={3} lobby={4} -> {5}")
  @CsvSource({
    "PUBLIC, false, false, , UNKNOWN, ENTER",
    "PUBLIC, false, false, , DENIED, REFUSED",
    "TRUSTED, false, true, , UNKNOWN, ENTER",
    "TRUSTED, false, false, , UNKNOWN, KNOCK",
    "TRUSTED, false, false, , WAITING, KNOCK",
    "TRUSTED, false, false, , ADMITTED, ENTER",
    "RESTRICTED, false, true, , UNKNOWN, KNOCK",
    "RESTRICTED, false, true, MEMBER, UNKNOWN, ENTER",
    "RESTRICTED, false, true, ADMINISTRATOR, DENIED, ENTER",
    "PUBLIC, true, true, , UNKNOWN, KNOCK",
    "PUBLIC, true, true, OWNER, UNKNOWN, ENTER",
    "TRUSTED, true, false, , ADMITTED, ENTER",
  })
  void accessLevelsRolesAndTheLobby(
      AccessLevel level, boolean locked, boolean signedIn, Role role, Status lobby, Outcome out) {
    assertThat(EntryPolicy.decide(level, locked, signedIn, Optional.ofNullable(role), lobby))
        .isEqualTo(out);
  }
}
