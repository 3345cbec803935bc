package eu.visio.meet.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.visio.meet.room.AccessLevel;
import eu.visio.meet.room.Role;
import eu.visio.meet.room.Room;
import eu.visio.meet.room.RoomCode;
import eu.visio.meet.room.RoomKind;
import eu.visio.meet.room.RoomSettings;
import eu.visio.meet.room.User;
import eu.visio.meet.room.ValidationException;
import eu.visio.signal.token.VideoGrant.Source;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** {@link Rooms} on any backend. */
interface RoomsContract extends StoreAccess {
  private Room weekly(User owner) {
    return rooms()
        .create(
            owner.id(), "Weekly", RoomKind.PERMANENT, AccessLevel.TRUSTED, RoomSettings.DEFAULTS);
  }

  @Test
  default void aRoomIsFoundByIdAndByCodeAsCreated() {
    User ada = user("ada");
    RoomSettings settings = new RoomSettings(EnumSet.of(Source.MICROPHONE), false, 12);
    Room room =
        rooms()
            .create(
                ada.id(),
                "Réunion \uD83D\uDE80",
                RoomKind.INSTANT,
                AccessLevel.RESTRICTED,
                settings);

    assertThat(room.createdAt())
        .as("microseconds, as PostgreSQL keeps them")
        .isEqualTo(TestClock.START.truncatedTo(ChronoUnit.MICROS))
        .isEqualTo(room.updatedAt());
    assertThat(rooms().find(room.id())).contains(room);
    assertThat(rooms().findByCode(room.code())).contains(room);
    assertThat(rooms().find(UUID.randomUUID())).isEmpty();
    assertThat(rooms().findByCode(RoomCode.random())).isEmpty();
    assertThat(roles().roleOf(room.id(), ada.id())).contains(Role.OWNER);
  }

  @Test
  default void longNamesAndEmptySettingsReadBackExactly() {
    User ada = user("ada");
    String longest = "é".repeat(Room.MAX_NAME - 2) + "\uD83D\uDE80";
    RoomSettings none = new RoomSettings(EnumSet.noneOf(Source.class), true, 1000);
    Room room = rooms().create(ada.id(), longest, RoomKind.INSTANT, AccessLevel.PUBLIC, none);
    assertThat(rooms().find(room.id())).contains(room);
  }

  @Test
  default void aTakenCodeIsAConflictAndLeavesNothingBehind() {
    User ada = user("ada");
    RoomCode code = RoomCode.parse("abc-defg-hij");
    rooms()
        .create(
            ada.id(), code, "First", RoomKind.INSTANT, AccessLevel.PUBLIC, RoomSettings.DEFAULTS);
    assertThatThrownBy(
            () ->
                rooms()
                    .create(
                        ada.id(),
                        code,
                        "Second",
                        RoomKind.INSTANT,
                        AccessLevel.PUBLIC,
                        RoomSettings.DEFAULTS))
        .isInstanceOf(StoreException.class)
        .extracting(e -> ((StoreException) e).code())
        .isEqualTo(StoreException.Code.CONFLICT);
    assertThat(count("SELECT COUNT(*) FROM rooms")).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM room_roles")).isEqualTo(1);
  }

  @Test
  default void aRandomCodeThatCollidesIsDrawnAgain() {
    User ada = user("ada");
    // Every draw gives a, b, c, ... j: the same code each time.
    RandomGenerator scripted =
        new RandomGenerator() {
          int i;

          @Override
          public long nextLong() {
            throw new UnsupportedOperationException();
          }

          @Override
          public int nextInt(int bound) {
            return i++ % RoomCode.LETTERS % bound;
          }
        };
    Rooms rooms = new Rooms(database().dataSource(), clock(), scripted);
    Room first =
        rooms.create(ada.id(), "One", RoomKind.INSTANT, AccessLevel.PUBLIC, RoomSettings.DEFAULTS);
    assertThat(first.code().value()).isEqualTo("abc-defg-hij");

    // Collides Rooms.CODE_ATTEMPTS times: gives up, saying the store cannot serve.
    assertThatThrownBy(
            () ->
                rooms.create(
                    ada.id(), "Two", RoomKind.INSTANT, AccessLevel.PUBLIC, RoomSettings.DEFAULTS))
        .extracting(e -> ((StoreException) e).code())
        .isEqualTo(StoreException.Code.UNAVAILABLE);

    // Collides on the first draw only, then draws b, c, ... k.
    RandomGenerator oneCollision =
        new RandomGenerator() {
          int i;

          @Override
          public long nextLong() {
            throw new UnsupportedOperationException();
          }

          @Override
          public int nextInt(int bound) {
            return (i % RoomCode.LETTERS + (i++ < RoomCode.LETTERS ? 0 : 1)) % bound;
          }
        };
    Room second =
        new Rooms(database().dataSource(), clock(), oneCollision)
            .create(ada.id(), "Two", RoomKind.INSTANT, AccessLevel.PUBLIC, RoomSettings.DEFAULTS);
    assertThat(second.code().value()).isEqualTo("bcd-efgh-ijk");
    assertThat(count("SELECT COUNT(*) FROM rooms")).isEqualTo(2);
  }

  @Test
  default void aRoomNeedsAnOwnerWhoExistsAndAName() {
    assertThatThrownBy(
            () ->
                rooms()
                    .create(
                        UUID.randomUUID(),
                        "Orphan",
                        RoomKind.INSTANT,
                        AccessLevel.PUBLIC,
                        RoomSettings.DEFAULTS))
        .extracting(e -> ((StoreException) e).code())
        .isEqualTo(StoreException.Code.NOT_FOUND);
    User ada = user("ada");
    assertThatThrownBy(
            () ->
                rooms()
                    .create(
                        ada.id(), " ", RoomKind.INSTANT, AccessLevel.PUBLIC, RoomSettings.DEFAULTS))
        .isInstanceOf(ValidationException.class);
    assertThat(count("SELECT COUNT(*) FROM rooms")).isZero();
  }

  @Test
  default void changesAreStoredAndStampedButKeepTheRest() {
    User ada = user("ada");
    Room room = weekly(ada);

    clock().advance(Duration.ofMinutes(1));
    Room renamed = rooms().rename(room.id(), "Daily");
    assertThat(renamed.name()).isEqualTo("Daily");
    assertThat(renamed.updatedAt()).isEqualTo(room.updatedAt().plus(Duration.ofMinutes(1)));
    assertThat(renamed.createdAt()).isEqualTo(room.createdAt());
    assertThat(renamed.code()).isEqualTo(room.code());

    clock().advance(Duration.ofMinutes(1));
    Room locked = rooms().updateAccessLevel(room.id(), AccessLevel.RESTRICTED);
    assertThat(locked.accessLevel()).isEqualTo(AccessLevel.RESTRICTED);
    assertThat(locked.name()).isEqualTo("Daily");
    assertThat(locked.updatedAt()).isAfter(renamed.updatedAt());

    RoomSettings quiet = new RoomSettings(EnumSet.of(Source.SCREEN_SHARE), false, 2);
    Room changed = rooms().updateSettings(room.id(), quiet);
    assertThat(changed.settings()).isEqualTo(quiet);
    assertThat(changed.accessLevel()).isEqualTo(AccessLevel.RESTRICTED);
    assertThat(rooms().find(room.id())).contains(changed);

    assertThatThrownBy(() -> rooms().rename(room.id(), "x".repeat(Room.MAX_NAME + 1)))
        .isInstanceOf(ValidationException.class);
    UUID missing = UUID.randomUUID();
    for (Runnable change :
        List.<Runnable>of(
            () -> rooms().rename(missing, "Nope"),
            () -> rooms().updateAccessLevel(missing, AccessLevel.PUBLIC),
            () -> rooms().updateSettings(missing, quiet))) {
      assertThatThrownBy(change::run)
          .extracting(e -> ((StoreException) e).code())
          .isEqualTo(StoreException.Code.NOT_FOUND);
    }
  }

  @Test
  default void roomsAreListedByOwnerNewestFirst() {
    User ada = user("ada");
    User bob = user("bob");
    Room older = weekly(ada);
    clock().advance(Duration.ofSeconds(1));
    Room newer = weekly(ada);
    clock().advance(Duration.ofSeconds(1));
    Room bobs = weekly(bob);
    roles().grant(bobs.id(), ada.id(), Role.MEMBER);

    assertThat(rooms().listOwnedBy(ada.id())).containsExactly(newer, older);
    assertThat(rooms().listForUser(ada.id())).containsExactly(bobs, newer, older);
    assertThat(rooms().listOwnedBy(bob.id())).containsExactly(bobs);
    assertThat(rooms().listOwnedBy(UUID.randomUUID())).isEmpty();
  }

  @Test
  default void deletingARoomTakesItsRolesButNotItsUsers() {
    User ada = user("ada");
    User bob = user("bob");
    Room room = weekly(ada);
    Room kept = weekly(ada);
    roles().grant(room.id(), bob.id(), Role.ADMINISTRATOR);

    rooms().delete(room.id());
    assertThat(rooms().find(room.id())).isEmpty();
    assertThat(rooms().findByCode(room.code())).isEmpty();
    assertThat(roles().list(room.id())).isEmpty();
    assertThat(users().find(bob.id())).contains(bob);
    assertThat(rooms().listOwnedBy(ada.id())).containsExactly(kept);
    assertThatThrownBy(() -> rooms().delete(room.id()))
        .extracting(e -> ((StoreException) e).code())
        .isEqualTo(StoreException.Code.NOT_FOUND);
  }

  @Test
  default void theSchemaRefusesWhatTheModelRefusesWithStableCodes() {
    User ada = user("ada");
    Room room = weekly(ada);
    String[][] refused = {
      {"max_participants = 5000", "INVALID"},
      {"max_participants = 1", "INVALID"},
      {"access_level = 'open'", "INVALID"},
      {"kind = 'eternal'", "INVALID"},
      {"name = '" + "x".repeat(Room.MAX_NAME + 1) + "'", "INVALID"},
      {"name = NULL", "INVALID"},
    };
    for (String[] r : refused) {
      assertThatThrownBy(
              () -> execute("UPDATE rooms SET " + r[0] + " WHERE id = '" + room.id() + "'"))
          .as(r[0])
          .extracting(e -> ((StoreException) e).code().name())
          .isEqualTo(r[1]);
    }
    assertThatThrownBy(
            () ->
                execute(
                    "INSERT INTO room_roles (room_id, user_id, role, granted_at) VALUES ('"
                        + room.id()
                        + "', '"
                        + UUID.randomUUID()
                        + "', 'member', CURRENT_TIMESTAMP)"))
        .as("a role for nobody")
        .extracting(e -> ((StoreException) e).code())
        .isEqualTo(StoreException.Code.NOT_FOUND);
    assertThat(rooms().find(room.id())).contains(room);
  }
}
