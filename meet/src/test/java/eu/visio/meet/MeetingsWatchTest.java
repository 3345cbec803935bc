package eu.visio.meet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.visio.meet.LobbyWatch.View;
import eu.visio.meet.Meetings.Caller;
import eu.visio.meet.access.ParticipantTokens;
import eu.visio.meet.lobby.Lobby;
import eu.visio.meet.room.AccessLevel;
import eu.visio.meet.room.RoomKind;
import eu.visio.meet.store.Database;
import eu.visio.meet.store.RoomRoles;
import eu.visio.meet.store.Rooms;
import eu.visio.meet.store.Users;
import eu.visio.signal.token.TokenIssuer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Following a lobby ({@link Meetings#watch}): who may, what each sees, when they are told, and that
 * a decision made before the watch began is what it shows first.
 */
class MeetingsWatchTest {
  /** The lobby's clock, moved by the tests (the database keeps the real one). */
  static final class LobbyClock extends Clock {
    volatile Instant now = Instant.parse("2026-11-28T10:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  final LobbyClock lobbyClock = new LobbyClock();
  Database db;
  Meetings meetings;
  Caller owner;
  Caller member;
  final Caller guest = new Caller("guest-1", Optional.empty(), "Guest", false);
  final Caller other = new Caller("guest-2", Optional.empty(), "Other", false);
  String code;

  @BeforeEach
  void open() {
    db = TestDatabases.inMemory("watch");
    Clock clock = Clock.systemUTC();
    Users users = new Users(db.dataSource(), clock);
    meetings =
        new Meetings(
            new Rooms(db.dataSource(), clock),
            new RoomRoles(db.dataSource(), clock),
            new Lobby(lobbyClock, Lobby.Limits.DEFAULT),
            new ParticipantTokens(
                new TokenIssuer("key", "watch-secret-watch-secret-watch-secret-01")),
            LiveMeetings.NONE);
    owner = MeetingsTest.caller(users.signIn("https://idp", "o", "o@example.org", "O").id());
    member = MeetingsTest.caller(users.signIn("https://idp", "m", "m@example.org", "M").id());
    code = meetings.create(owner, "Team", RoomKind.PERMANENT, AccessLevel.TRUSTED).code().value();
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void onlyHostsAndThoseWhoKnockedMayWatch() {
    AtomicInteger ignored = new AtomicInteger();
    assertThatThrownBy(() -> meetings.watch(code, guest, ignored::incrementAndGet))
        .as("a guest who never knocked")
        .hasFieldOrPropertyWithValue("code", "FORBIDDEN");
    assertThatThrownBy(() -> meetings.watch(code, member, ignored::incrementAndGet))
        .as("a signed-in user without a role: enters a trusted room, never knocks")
        .hasFieldOrPropertyWithValue("code", "FORBIDDEN");
    assertThatThrownBy(() -> meetings.watch("abc-defg-hij", owner, ignored::incrementAndGet))
        .hasFieldOrPropertyWithValue("code", "NOT_FOUND");
    try (LobbyWatch host = meetings.watch(code, owner, ignored::incrementAndGet)) {
      assertThat(host.hosting()).isTrue();
      assertThat(host.current()).isEqualTo(new View.Hosting(java.util.List.of()));
    }
    meetings.join(code, guest);
    try (LobbyWatch knocker = meetings.watch(code, guest, ignored::incrementAndGet)) {
      assertThat(knocker.hosting()).isFalse();
      assertThat(knocker.current()).isEqualTo(new View.Knocking(Lobby.Status.WAITING));
    }
    assertThat(ignored).hasValue(0);
  }

  @Test
  void aHostIsToldOfEveryKnockDecisionAndLapse() {
    AtomicInteger changes = new AtomicInteger();
    try (LobbyWatch host = meetings.watch(code, owner, changes::incrementAndGet)) {
      meetings.join(code, guest);
      assertThat(changes).hasValue(1);
      assertThat(((View.Hosting) host.current()).waiting())
          .extracting(Lobby.Knock::participant)
          .containsExactly("guest-1");
      meetings.join(code, other);
      meetings.decide(code, owner, "guest-1", true);
      assertThat(changes).hasValue(3);
      assertThat(((View.Hosting) host.current()).waiting())
          .extracting(Lobby.Knock::participant)
          .containsExactly("guest-2");

      lobbyClock.now = lobbyClock.now.plus(Duration.ofMinutes(10));
      meetings.sweepLobbies();
      assertThat(changes).as("guest-2's knock lapsed").hasValue(4);
      assertThat(host.current()).isEqualTo(new View.Hosting(java.util.List.of()));
      lobbyClock.now = lobbyClock.now.plus(Duration.ofHours(1));
      meetings.sweepLobbies();
      assertThat(changes).as("an admission lapsing changes no waiting list").hasValue(4);
    }
    meetings.join(code, guest);
    assertThat(changes).as("closed: no more").hasValue(4);
  }

  @Test
  void aKnockerIsToldOfItsOwnPlaceOnly() {
    meetings.join(code, guest);
    AtomicInteger changes = new AtomicInteger();
    try (LobbyWatch w = meetings.watch(code, guest, changes::incrementAndGet)) {
      meetings.join(code, other);
      meetings.decide(code, owner, "guest-2", false);
      assertThat(changes).as("another's knock and decision").hasValue(0);
      meetings.decide(code, owner, "guest-1", false);
      assertThat(changes).hasValue(1);
      assertThat(w.current()).isEqualTo(new View.Knocking(Lobby.Status.DENIED));

      lobbyClock.now = lobbyClock.now.plus(Duration.ofMinutes(10));
      meetings.sweepLobbies();
      assertThat(changes).hasValue(2);
      assertThat(w.current()).isEqualTo(new View.Knocking(Lobby.Status.UNKNOWN));
      meetings.join(code, guest);
      assertThat(changes).as("knocking again after the denial lapsed").hasValue(3);
      assertThat(w.current()).isEqualTo(new View.Knocking(Lobby.Status.WAITING));
    }
  }

  /** Two watches with one callback (two tabs of one page) are two: closing one keeps the other. */
  @Test
  void twoWatchesWithOneCallbackCloseIndependently() {
    meetings.join(code, guest);
    AtomicInteger changes = new AtomicInteger();
    Runnable onChange = changes::incrementAndGet;
    LobbyWatch first = meetings.watch(code, guest, onChange);
    try (LobbyWatch second = meetings.watch(code, guest, onChange)) {
      first.close();
      meetings.decide(code, owner, "guest-1", true);
      assertThat(changes).hasValue(1);
      assertThat(second.current()).isEqualTo(new View.Knocking(Lobby.Status.ADMITTED));
    }
  }

  /**
   * The decision lands before the knocker's watch exists: its first read shows it (no push needed,
   * none lost), and a denied guest may still watch to learn it.
   */
  @Test
  void aDecisionBeforeTheWatchIsWhatItFirstShows() {
    meetings.join(code, guest);
    meetings.decide(code, owner, "guest-1", true);
    try (LobbyWatch w = meetings.watch(code, guest, () -> {})) {
      assertThat(w.current()).isEqualTo(new View.Knocking(Lobby.Status.ADMITTED));
    }
    meetings.join(code, other);
    meetings.decide(code, owner, "guest-2", false);
    try (LobbyWatch w = meetings.watch(code, other, () -> {})) {
      assertThat(w.current()).isEqualTo(new View.Knocking(Lobby.Status.DENIED));
    }
  }
}
