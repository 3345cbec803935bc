package eu.visio.meet.lobby;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One room's listeners: what they hear, expiries included, and that closing leaves nothing. */
class LobbyWatchersTest {
  final LobbyTest.TestClock clock = new LobbyTest.TestClock();
  final Lobby lobby =
      new Lobby(
          clock,
          new Lobby.Limits(Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofMinutes(10), 2));

  /** Records "kind participant status" per event. */
  static final class Heard implements Lobby.Listener {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void onKnock(String room, Lobby.Knock k) {
      events.add(room + " knock " + k.participant() + " " + k.status());
    }

    @Override
    public void onDecision(String room, Lobby.Knock k) {
      events.add(room + " decision " + k.participant() + " " + k.status());
    }

    @Override
    public void onExpiry(String room, Lobby.Knock k) {
      events.add(room + " expiry " + k.participant() + " " + k.status());
    }
  }

  @Test
  void aWatcherHearsItsRoomOnlyUntilItCloses() {
    Heard heard = new Heard();
    Lobby.Watch w = lobby.watch("r", heard);
    lobby.knock("r", "g1", "G1", false);
    lobby.knock("other", "g2", "G2", false);
    lobby.knock("r", "g1", "G1", false); // knocking again is no new knock
    lobby.decide("r", "g1", true);
    lobby.decide("r", "g1", false); // already decided: nothing
    assertThat(heard.events).containsExactly("r knock g1 WAITING", "r decision g1 ADMITTED");
    assertThat(lobby.watchedRooms()).isEqualTo(1);

    w.close();
    w.close();
    lobby.knock("r", "g3", "G3", false);
    assertThat(heard.events).hasSize(2);
    assertThat(lobby.watchedRooms()).as("a closed watch leaves no entry").isZero();
  }

  @Test
  void twoWatchersOfARoomCloseIndependently() {
    Heard a = new Heard();
    Heard b = new Heard();
    Lobby.Watch wa = lobby.watch("r", a);
    try (Lobby.Watch wb = lobby.watch("r", b)) {
      wa.close();
      lobby.knock("r", "g1", "G1", false);
      assertThat(a.events).isEmpty();
      assertThat(b.events).containsExactly("r knock g1 WAITING");
    }
    assertThat(lobby.watchedRooms()).isZero();
  }

  /** Each lapse is heard once, whether a lookup, a knock, a decision or a sweep noticed it. */
  @Test
  void lapsesAreHeardOnceWhoeverNoticesThem() {
    Heard heard = new Heard();
    lobby.watch("r", heard);
    lobby.knock("r", "waits", "W", false);
    lobby.knock("r", "denied", "D", false);
    lobby.decide("r", "denied", false);
    heard.events.clear();

    clock.advance(Duration.ofMinutes(10));
    assertThat(lobby.status("r", "waits")).isEqualTo(Lobby.Status.UNKNOWN);
    assertThat(heard.events)
        .as("a lookup noticed both: the knock (10 min) and the denial (10 min)")
        .containsExactlyInAnyOrder("r expiry waits WAITING", "r expiry denied DENIED");
    lobby.sweep();
    lobby.waiting("r");
    assertThat(heard.events).hasSize(2);

    heard.events.clear();
    lobby.knock("r", "a", "A", false);
    lobby.decide("r", "a", true);
    lobby.knock("r", "b", "B", false);
    clock.advance(Duration.ofMinutes(10));
    lobby.sweep();
    assertThat(heard.events)
        .as("the sweep finds the waiting knock lapsed, not the hour-long admission")
        .containsExactly(
            "r knock a WAITING",
            "r decision a ADMITTED",
            "r knock b WAITING",
            "r expiry b WAITING");
    heard.events.clear();
    clock.advance(Duration.ofMinutes(50));
    lobby.sweep();
    assertThat(heard.events).containsExactly("r expiry a ADMITTED");
  }

  @Test
  void aFullLobbyStillReportsWhatLapsedBeforeRefusing() {
    Heard heard = new Heard();
    lobby.watch("r", heard);
    lobby.knock("r", "a", "A", false);
    clock.advance(Duration.ofMinutes(5));
    lobby.knock("r", "b", "B", false);
    assertThatThrownBy(() -> lobby.knock("r", "c", "C", false))
        .isInstanceOf(Lobby.FullException.class);
    clock.advance(Duration.ofMinutes(5)); // a lapses, b still waits: room for c
    heard.events.clear();
    lobby.knock("r", "c", "C", false);
    assertThat(heard.events).containsExactly("r expiry a WAITING", "r knock c WAITING");
  }

  @Test
  void anEndedMeetingsLobbyIsHeardAsLapsing() {
    Heard heard = new Heard();
    lobby.watch("r", heard);
    lobby.knock("r", "a", "A", false);
    heard.events.clear();
    lobby.clear("r");
    assertThat(heard.events).containsExactly("r expiry a WAITING");
    lobby.clear("r");
    assertThat(heard.events).hasSize(1);
  }

  /**
   * Listeners run after the room's lock is released: another thread reading the same room from
   * inside a listener completes (were the lock held, it would wait for the listener, which waits
   * for it).
   */
  @Test
  void listenersRunOutsideTheRoomsLock() {
    List<List<Lobby.Knock>> seen = new CopyOnWriteArrayList<>();
    lobby.watch(
        "r",
        new Lobby.Listener() {
          @Override
          public void onKnock(String room, Lobby.Knock k) {
            seen.add(otherThreadReads(room));
          }

          @Override
          public void onDecision(String room, Lobby.Knock k) {
            seen.add(otherThreadReads(room));
          }

          @Override
          public void onExpiry(String room, Lobby.Knock k) {
            seen.add(otherThreadReads(room));
          }
        });
    lobby.knock("r", "a", "A", false);
    lobby.knock("r", "b", "B", false);
    lobby.decideAll("r", true);
    lobby.knock("r", "c", "C", false);
    clock.advance(Duration.ofMinutes(10));
    lobby.sweep();
    assertThat(seen).extracting(List::size).containsExactly(1, 2, 0, 0, 1, 0);
  }

  private List<Lobby.Knock> otherThreadReads(String room) {
    try {
      return CompletableFuture.supplyAsync(() -> lobby.waiting(room)).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the room stayed locked while its listener ran", e);
    }
  }
}
