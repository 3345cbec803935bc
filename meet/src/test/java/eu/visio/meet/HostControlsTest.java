package eu.visio.meet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.visio.meet.Meetings.Caller;
import eu.visio.meet.Meetings.Changes;
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
import eu.visio.signal.token.TokenIssuer;
import eu.visio.signal.token.VideoGrant.Source;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import livekit.LivekitModels.TrackSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What hosts change in a room and in the meeting in progress: settings that reach the SFU, the
 * lock, the cap, co-hosts for one meeting, who may mute, deleting and ending; and the room's
 * members (stored roles) with who may give which.
 */
class HostControlsTest {
  Database db;
  final FakeLive live = new FakeLive();
  Meetings meetings;
  Memberships members;
  RoomRoles roles;
  Caller owner;
  Caller colleague;
  Caller third;
  final Caller guest = new Caller("guest-7", Optional.empty(), "Guest", false);

  @BeforeEach
  void open() {
    db = TestDatabases.inMemory("hosts");
    Clock clock = Clock.systemUTC();
    Users users = new Users(db.dataSource(), clock);
    roles = new RoomRoles(db.dataSource(), clock);
    meetings =
        new Meetings(
            new Rooms(db.dataSource(), clock),
            roles,
            new Lobby(),
            new ParticipantTokens(new TokenIssuer("k", "meet-secret-meet-secret-meet-secret-0123")),
            live);
    members = new Memberships(meetings, roles, users);
    owner = MeetingsTest.caller(users.signIn("https://idp", "o", "owner@example.org", "O").id());
    colleague = MeetingsTest.caller(users.signIn("https://idp", "c", "Col@Example.org", "C").id());
    third = MeetingsTest.caller(users.signIn("https://idp", "t", "third@example.org", "T").id());
  }

  @AfterEach
  void close() {
    db.close();
  }

  static Changes locked(boolean locked) {
    return new Changes(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.of(locked));
  }

  @Test
  void settingsAreStoredAndReachTheMeetingInProgress() {
    Room room = meetings.create(owner, "Daily", RoomKind.PERMANENT, AccessLevel.PUBLIC);
    String code = room.code().value();
    String lk = Meetings.liveKitRoom(room);
    assertThat(meetings.join(code, owner)).isInstanceOf(Join.Enter.class);
    assertThat(live.caps).containsEntry(lk, 150);
    live.arrive(lk, owner.participantId(), Role.OWNER);
    assertThat(meetings.join(code, guest)).isInstanceOf(Join.Enter.class);
    live.arrive(lk, guest.participantId(), Role.MEMBER);

    Changes changes =
        new Changes(
            Optional.of("Daily sync"),
            Optional.of(AccessLevel.TRUSTED),
            Optional.of(EnumSet.of(Source.MICROPHONE)),
            Optional.of(false),
            Optional.of(40),
            Optional.empty());
    assertThatThrownBy(() -> meetings.update(code, guest, changes))
        .hasFieldOrPropertyWithValue("code", "FORBIDDEN");
    Room updated = meetings.update(code, owner, changes);
    assertThat(updated.name()).isEqualTo("Daily sync");
    assertThat(updated.accessLevel()).isEqualTo(AccessLevel.TRUSTED);
    assertThat(updated.settings().canPublish()).containsExactly(Source.MICROPHONE);
    assertThat(updated.settings().everyoneCanMute()).isFalse();
    assertThat(meetings.find(code)).isEqualTo(updated);
    assertThat(live.caps).as("the SFU holds the new cap").containsEntry(lk, 40);
    assertThat(live.seat(lk, guest.participantId()).permission().getCanPublishSourcesList())
        .as("the guest may now only speak")
        .containsExactly(TrackSource.MICROPHONE);
    assertThat(live.seat(lk, owner.participantId()).permission().getCanPublishSourcesList())
        .as("hosts keep everything (untouched)")
        .isEmpty();

    Changes none =
        new Changes(
            Optional.empty(),
            Optional.empty(),
            Optional.of(Set.of()),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    meetings.update(code, owner, none);
    assertThat(live.seat(lk, guest.participantId()).permission().getCanPublish())
        .as("no source at all: publishing denied, not 'every source'")
        .isFalse();
  }

  @Test
  void aLockedMeetingMakesEveryoneWithoutARoleKnock() {
    Room room = meetings.create(owner, "Open", RoomKind.PERMANENT, AccessLevel.PUBLIC);
    String code = room.code().value();
    assertThat(meetings.update(code, owner, locked(true)).locked()).isTrue();
    assertThat(meetings.join(code, guest))
        .isEqualTo(new Join.Knock(meetings.find(code), Lobby.Status.WAITING));
    assertThat(meetings.join(code, colleague))
        .as("signed in, but no role")
        .isInstanceOf(Join.Knock.class);
    assertThat(meetings.join(code, owner)).as("a role enters").isInstanceOf(Join.Enter.class);
    assertThat(meetings.decide(code, owner, guest.participantId(), true)).isTrue();
    assertThat(meetings.join(code, guest))
        .as("admitted through the lobby")
        .isInstanceOf(Join.Enter.class);
    meetings.update(code, owner, locked(false));
    assertThat(meetings.join(code, colleague)).isInstanceOf(Join.Enter.class);
  }

  @Test
  void aFullMeetingRefusesNewcomersButNotThoseAlreadyIn() {
    Room room = meetings.create(owner, "Small", RoomKind.PERMANENT, AccessLevel.PUBLIC);
    String code = room.code().value();
    String lk = Meetings.liveKitRoom(room);
    meetings.update(
        code,
        owner,
        new Changes(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.of(2),
            Optional.empty()));
    live.arrive(lk, owner.participantId(), Role.OWNER);
    live.arrive(lk, colleague.participantId(), Role.MEMBER);
    assertThatThrownBy(() -> meetings.join(code, guest))
        .hasFieldOrPropertyWithValue("code", "FULL");
    assertThat(meetings.join(code, colleague))
        .as("reconnecting is no newcomer")
        .isInstanceOf(Join.Enter.class);
  }

  @Test
  void aCoHostModeratesForThisMeetingOnly() {
    Room room = meetings.create(owner, "Town hall", RoomKind.PERMANENT, AccessLevel.TRUSTED);
    String code = room.code().value();
    String lk = Meetings.liveKitRoom(room);
    live.arrive(lk, owner.participantId(), Role.OWNER);
    assertThat(meetings.promote(code, owner, guest.participantId()))
        .as("not in the meeting")
        .isFalse();
    live.arrive(lk, guest.participantId(), Role.MEMBER);
    assertThatThrownBy(() -> meetings.promote(code, guest, guest.participantId()))
        .as("nobody promotes themselves")
        .hasFieldOrPropertyWithValue("code", "FORBIDDEN");
    assertThat(meetings.promote(code, owner, guest.participantId())).isTrue();
    assertThat(live.seat(lk, guest.participantId()).role()).isEqualTo(Role.ADMINISTRATOR);
    assertThat(live.seat(lk, guest.participantId()).coHost())
        .as("marked as this meeting's co-host, whom a host may demote")
        .isTrue();
    assertThat(meetings.isHost(room, guest)).isTrue();
    assertThat(meetings.waiting(code, guest)).as("a co-host sees the lobby").isEmpty();
    assertThatThrownBy(() -> meetings.demote(code, guest, owner.participantId()))
        .as("a stored role is not the meeting's to take")
        .hasFieldOrPropertyWithValue("code", "CONFLICT");
    assertThatThrownBy(() -> meetings.delete(code, guest))
        .as("co-hosts do not delete rooms")
        .hasFieldOrPropertyWithValue("code", "FORBIDDEN");
    assertThat(meetings.demote(code, owner, guest.participantId())).isTrue();
    assertThat(live.seat(lk, guest.participantId()).role()).isEqualTo(Role.MEMBER);
    assertThat(live.seat(lk, guest.participantId()).coHost()).isFalse();
    assertThat(meetings.isHost(room, guest)).isFalse();

    meetings.promote(code, owner, guest.participantId());
    assertThat(meetings.end(code, owner)).isTrue();
    assertThat(meetings.isHost(room, guest))
        .as("the meeting ended, and the co-host with it")
        .isFalse();
  }

  @Test
  void whoMayMuteOthersFollowsTheRoom() {
    Room room = meetings.create(owner, "Mute", RoomKind.PERMANENT, AccessLevel.PUBLIC);
    String code = room.code().value();
    String lk = Meetings.liveKitRoom(room);
    assertThat(meetings.mayMute(code, owner)).isEqualTo(room);
    assertThatThrownBy(() -> meetings.mayMute(code, guest))
        .as("not in the meeting")
        .hasFieldOrPropertyWithValue("code", "FORBIDDEN");
    live.arrive(lk, guest.participantId(), Role.MEMBER);
    assertThat(meetings.mayMute(code, guest).id())
        .as("everyone may, by default")
        .isEqualTo(room.id());
    meetings.update(
        code,
        owner,
        new Changes(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.of(false),
            Optional.empty(),
            Optional.empty()));
    assertThatThrownBy(() -> meetings.mayMute(code, guest))
        .hasFieldOrPropertyWithValue("code", "FORBIDDEN");
  }

  @Test
  void onlyOwnersDeleteAndDeletingEndsTheMeeting() {
    Room room = meetings.create(owner, "Gone", RoomKind.PERMANENT, AccessLevel.PUBLIC);
    String code = room.code().value();
    roles.grant(room.id(), colleague.userId().orElseThrow(), Role.ADMINISTRATOR);
    live.arrive(Meetings.liveKitRoom(room), guest.participantId(), Role.MEMBER);
    assertThatThrownBy(() -> meetings.delete(code, colleague))
        .hasFieldOrPropertyWithValue("code", "FORBIDDEN");
    meetings.delete(code, owner);
    assertThat(live.rooms).doesNotContainKey(Meetings.liveKitRoom(room));
    assertThatThrownBy(() -> meetings.find(code)).hasFieldOrPropertyWithValue("code", "NOT_FOUND");
  }

  @Test
  void membersAreGivenByAddressAndOnlyOwnersTouchOwnership() {
    Room room = meetings.create(owner, "Team", RoomKind.PERMANENT, AccessLevel.RESTRICTED);
    String code = room.code().value();
    assertThat(members.grant(code, owner, "col@example.ORG", Role.ADMINISTRATOR).role())
        .as("addresses compare without case")
        .isEqualTo(Role.ADMINISTRATOR);
    assertThatThrownBy(() -> members.grant(code, colleague, "third@example.org", Role.OWNER))
        .as("an administrator makes no owner")
        .hasFieldOrPropertyWithValue("code", "FORBIDDEN");
    assertThatThrownBy(() -> members.revoke(code, colleague, owner.userId().orElseThrow()))
        .as("nor unmakes one")
        .hasFieldOrPropertyWithValue("code", "FORBIDDEN");
    assertThat(members.grant(code, colleague, "third@example.org", Role.MEMBER).role())
        .isEqualTo(Role.MEMBER);
    assertThatThrownBy(() -> members.grant(code, colleague, "nobody@example.org", Role.MEMBER))
        .hasFieldOrPropertyWithValue("code", "NOT_FOUND");
    assertThatThrownBy(() -> members.list(code, third))
        .as("a member is no host")
        .hasFieldOrPropertyWithValue("code", "FORBIDDEN");
    assertThat(members.list(code, owner))
        .extracting(Memberships.Member::email, Memberships.Member::role)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("owner@example.org", Role.OWNER),
            org.assertj.core.groups.Tuple.tuple("Col@Example.org", Role.ADMINISTRATOR),
            org.assertj.core.groups.Tuple.tuple("third@example.org", Role.MEMBER));
    assertThat(meetings.join(code, third))
        .as("a member enters a restricted room")
        .isInstanceOf(Join.Enter.class);

    members.revoke(code, third, third.userId().orElseThrow());
    assertThat(meetings.join(code, third)).as("gave up its role").isInstanceOf(Join.Knock.class);
    assertThatThrownBy(() -> members.revoke(code, owner, owner.userId().orElseThrow()))
        .as("the last owner stays")
        .hasFieldOrPropertyWithValue("code", eu.visio.meet.store.StoreException.Code.CONFLICT);
  }
}
