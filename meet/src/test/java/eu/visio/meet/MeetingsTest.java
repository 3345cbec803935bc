package eu.visio.meet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.visio.meet.Meetings.Caller;
import eu.visio.meet.Meetings.Join;
import eu.visio.meet.access.ParticipantTokens;
import eu.visio.meet.lobby.Lobby;
import eu.visio.meet.room.AccessLevel;
import eu.visio.meet.room.Role;
import eu.visio.meet.room.Room;
import eu.visio.meet.room.RoomKind;
import eu.visio.meet.store.Database;
import eu.visio.meet.store.RoomRoles;
import eu.visio.meet.store.Rooms;
import eu.visio.meet.store.Users;
import eu.visio.signal.token.AccessClaims;
import eu.visio.signal.token.ApiKeys;
import eu.visio.signal.token.TokenIssuer;
import eu.visio.signal.token.TokenVerifier;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Joining meetings: who enters, who knocks, and that no token leaves without the lobby's yes. */
class MeetingsTest {
  static final String KEY = "meetkey";
  static final String SECRET = "meet-secret-meet-secret-meet-secret-0123";

  Database db;
  final FakeLive live = new FakeLive();
  Meetings meetings;
  RoomRoles roles;
  Caller owner;
  Caller colleague;
  final Caller guest = new Caller("guest-7", Optional.empty(), "Guest", false);

  @BeforeEach
  void open() {
    db = TestDatabases.inMemory("meetings");
    Clock clock = Clock.systemUTC();
    Users users = new Users(db.dataSource(), clock);
    roles = new RoomRoles(db.dataSource(), clock);
    meetings =
        new Meetings(
            new Rooms(db.dataSource(), clock),
            roles,
            new Lobby(),
            new ParticipantTokens(new TokenIssuer(KEY, SECRET)),
            live);
    owner = caller(users.signIn("https://idp", "owner-sub", "o@example.org", "Owner").id());
    colleague = caller(users.signIn("https://idp", "col-sub", "c@example.org", "Col").id());
  }

  static Caller caller(UUID user) {
    return new Caller(user.toString(), Optional.of(user), "User " + user, true);
  }

  @AfterEach
  void close() {
    db.close();
  }

  static AccessClaims claims(Join join) throws Exception {
    assertThat(join).isInstanceOf(Join.Enter.class);
    return new TokenVerifier(ApiKeys.of(Map.of(KEY, SECRET))).verify(((Join.Enter) join).token());
  }

  @Test
  void aPublicMeetingLetsEveryoneIn() throws Exception {
    Room room = meetings.create(owner, "Stand-up", RoomKind.PERMANENT, AccessLevel.PUBLIC);
    AccessClaims host = claims(meetings.join(room.code().value(), owner));
    assertThat(host.video().roomAdmin()).isTrue();
    assertThat(host.video().room()).isEqualTo(Meetings.liveKitRoom(room));
    assertThat(host.attributes()).containsEntry("room_role", "owner");
    AccessClaims g = claims(meetings.join(room.code().value().toUpperCase(), guest));
    assertThat(g.video().roomAdmin()).isFalse();
    assertThat(g.identity()).isEqualTo("guest-7");
    assertThat(g.attributes()).containsEntry("is_authenticated", "false");
  }

  @Test
  void aTrustedMeetingMakesGuestsKnockUntilAHostAdmitsThem() throws Exception {
    Room room = meetings.create(owner, "Team", RoomKind.PERMANENT, AccessLevel.TRUSTED);
    String code = room.code().value();
    assertThat(meetings.join(code, colleague))
        .as("signed in: enters")
        .isInstanceOf(Join.Enter.class);
    Join first = meetings.join(code, guest);
    assertThat(first).isEqualTo(new Join.Knock(room, Lobby.Status.WAITING));
    assertThat(meetings.join(code, guest))
        .as("asking again: still waiting, no token")
        .isEqualTo(first);
    assertThatThrownBy(() -> meetings.waiting(code, colleague))
        .as("a member is no host")
        .hasFieldOrPropertyWithValue("code", "FORBIDDEN");
    assertThatThrownBy(() -> meetings.decide(code, guest, "guest-7", true))
        .as("nor is the guest itself")
        .hasFieldOrPropertyWithValue("code", "FORBIDDEN");
    assertThat(meetings.waiting(code, owner))
        .extracting(Lobby.Knock::name)
        .containsExactly("Guest");
    assertThat(meetings.decide(code, owner, "guest-7", true)).isTrue();
    AccessClaims admitted = claims(meetings.join(code, guest));
    assertThat(admitted.identity()).isEqualTo("guest-7");
    assertThat(admitted.video().canUpdateOwnMetadata()).isFalse();
  }

  @Test
  void aRestrictedMeetingAdmitsOnlyRolesAndTheLobby() throws Exception {
    Room room = meetings.create(owner, "Board", RoomKind.PERMANENT, AccessLevel.RESTRICTED);
    String code = room.code().value();
    assertThat(meetings.join(code, colleague)).isInstanceOf(Join.Knock.class);
    assertThat(meetings.decideAll(code, owner, false)).isEqualTo(1);
    assertThat(meetings.join(code, colleague)).as("denied").isEqualTo(new Join.Refused(room));
    roles.grant(room.id(), colleague.userId().orElseThrow(), Role.ADMINISTRATOR);
    AccessClaims coHost = claims(meetings.join(code, colleague));
    assertThat(coHost.video().roomAdmin()).as("a role beats the denial").isTrue();
    assertThat(meetings.join(code, guest)).isInstanceOf(Join.Knock.class);
    assertThat(meetings.waiting(code, colleague)).as("co-hosts see the lobby").hasSize(1);
  }

  @Test
  void guestsCannotCreateAndCodesAreChecked() {
    assertThatThrownBy(() -> meetings.create(guest, "Mine", RoomKind.INSTANT, AccessLevel.PUBLIC))
        .hasFieldOrPropertyWithValue("code", "FORBIDDEN");
    assertThatThrownBy(() -> meetings.join("not a code", guest))
        .hasFieldOrPropertyWithValue("code", "INVALID");
    assertThatThrownBy(() -> meetings.join("abc-defg-hij", guest))
        .hasFieldOrPropertyWithValue("code", "NOT_FOUND");
  }
}
