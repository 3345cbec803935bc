package eu.visio.meet.lobby;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.visio.meet.lobby.Lobby.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LobbyTest {
  /** A clock the test moves. */
  static final class TestClock extends Clock {
    Instant now = Instant.parse("2026-11-28T10:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }
  }

  final TestClock clock = new TestClock();
  final Lobby lobby = new Lobby(clock, Lobby.Limits.DEFAULT);
  final List<String> pushed = new ArrayList<>();

  {
    lobby.addListener(
        new Lobby.Listener() {
          @Override
          public void onKnock(String room, Lobby.Knock knock) {
            pushed.add("knock " + room + " " + knock.participant());
          }

          @Override
          public void onDecision(String room, Lobby.Knock knock) {
            pushed.add(knock.status() + " " + room + " " + knock.participant());
          }
        });
  }

  @Test
  void aGuestKnocksAndIsAdmitted() {
    assertThat(lobby.status("abc-defg-hij", "guest-1")).isEqualTo(Status.UNKNOWN);
    Lobby.Knock k = lobby.knock("abc-defg-hij", "guest-1", "Ana", false);
    assertThat(k.status()).isEqualTo(Status.WAITING);
    assertThat(lobby.waiting("abc-defg-hij")).extracting(Lobby.Knock::name).containsExactly("Ana");
    assertThat(lobby.admitted("abc-defg-hij", "guest-1")).isFalse();
    assertThat(lobby.decide("abc-defg-hij", "guest-1", true)).isPresent();
    assertThat(lobby.status("abc-defg-hij", "guest-1")).isEqualTo(Status.ADMITTED);
    assertThat(lobby.admitted("abc-defg-hij", "guest-1")).isTrue();
    assertThat(lobby.admitted("other-room", "guest-1")).as("per room").isFalse();
    assertThat(lobby.waiting("abc-defg-hij")).isEmpty();
    assertThat(pushed)
        .containsExactly("knock abc-defg-hij guest-1", "ADMITTED abc-defg-hij guest-1");
  }

  @Test
  void aDenialHoldsAndKnockingAgainChangesNothing() {
    lobby.knock("r", "g", "Bob", false);
    lobby.decide("r", "g", false);
    assertThat(lobby.knock("r", "g", "Bob again", false).status()).isEqualTo(Status.DENIED);
    assertThat(lobby.waiting("r")).isEmpty();
    assertThat(lobby.decide("r", "g", true)).as("decided already").isEmpty();
    assertThat(lobby.admitted("r", "g")).isFalse();
    clock.advance(Duration.ofMinutes(10));
    assertThat(lobby.status("r", "g")).as("the denial expired").isEqualTo(Status.UNKNOWN);
    assertThat(lobby.knock("r", "g", "Bob", false).status()).isEqualTo(Status.WAITING);
  }

  @Test
  void knocksAndAdmissionsExpire() {
    lobby.knock("r", "late", "Late", false);
    clock.advance(Duration.ofMinutes(9).plusSeconds(59));
    assertThat(lobby.status("r", "late")).isEqualTo(Status.WAITING);
    clock.advance(Duration.ofSeconds(1));
    assertThat(lobby.status("r", "late"))
        .as("nobody answered in 10 minutes")
        .isEqualTo(Status.UNKNOWN);
    assertThat(lobby.decide("r", "late", true)).as("too late to admit").isEmpty();

    lobby.knock("r", "in", "In", true);
    lobby.decide("r", "in", true);
    clock.advance(Duration.ofMinutes(59));
    assertThat(lobby.admitted("r", "in")).isTrue();
    clock.advance(Duration.ofMinutes(1));
    assertThat(lobby.admitted("r", "in")).isFalse();
  }

  @Test
  void hostsAdmitOrDenyEveryoneWaitingInOrder() {
    lobby.knock("r", "a", "A", false);
    clock.advance(Duration.ofSeconds(1));
    lobby.knock("r", "b", "B", true);
    clock.advance(Duration.ofSeconds(1));
    lobby.knock("r", "c", "C", false);
    lobby.decide("r", "b", false);
    assertThat(lobby.waiting("r")).extracting(Lobby.Knock::participant).containsExactly("a", "c");
    assertThat(lobby.decideAll("r", true))
        .extracting(Lobby.Knock::participant)
        .containsExactly("a", "c");
    assertThat(lobby.admitted("r", "a")).isTrue();
    assertThat(lobby.admitted("r", "b")).isFalse();
    assertThat(lobby.admitted("r", "c")).isTrue();
  }

  @Test
  void aFullLobbyRefusesNewKnocks() {
    Lobby small =
        new Lobby(
            clock,
            new Lobby.Limits(
                Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofMinutes(10), 2));
    small.knock("r", "a", "A", false);
    small.knock("r", "b", "B", false);
    assertThatThrownBy(() -> small.knock("r", "c", "C", false))
        .isInstanceOf(Lobby.FullException.class);
    assertThat(small.knock("r", "a", "A", false).status())
        .as("already waiting")
        .isEqualTo(Status.WAITING);
    small.decide("r", "a", true);
    assertThat(small.knock("r", "c", "C", false).status())
        .as("room again")
        .isEqualTo(Status.WAITING);
  }

  @Test
  void anEndedMeetingForgetsItsLobby() {
    lobby.knock("r", "a", "A", false);
    lobby.decide("r", "a", true);
    lobby.clear("r");
    assertThat(lobby.admitted("r", "a")).isFalse();
    lobby.knock("r2", "b", "B", false);
    clock.advance(Duration.ofMinutes(11));
    lobby.sweep();
    assertThat(lobby.waiting("r2")).isEmpty();
  }

  /** Knocks, decisions, sweeps and polls from many threads: every knock ends decided once. */
  @Test
  void concurrentUseStaysConsistent() throws Exception {
    Lobby shared = new Lobby();
    List<String> decisions = java.util.Collections.synchronizedList(new ArrayList<>());
    shared.addListener(
        new Lobby.Listener() {
          @Override
          public void onKnock(String room, Lobby.Knock knock) {}

          @Override
          public void onDecision(String room, Lobby.Knock knock) {
            decisions.add(room + "/" + knock.participant());
          }
        });
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<java.util.concurrent.Future<?>> work = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int thread = t;
      work.add(
          pool.submit(
              () -> {
                for (int i = 0; i < 500; i++) {
                  String room = "room-" + (i % 5);
                  shared.knock(room, thread + "-" + i, "n", false);
                  shared.status(room, thread + "-" + i);
                  if (i % 7 == 0) {
                    shared.decideAll(room, true);
                    shared.sweep();
                  }
                }
              }));
    }
    for (var w : work) {
      w.get(30, TimeUnit.SECONDS); // surfaces any exception thrown in a worker
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    for (int r = 0; r < 5; r++) {
      shared.decideAll("room-" + r, true);
    }
    assertThat(decisions).hasSize(2000).doesNotHaveDuplicates();
    for (int t = 0; t < 4; t++) {
      for (int i = 0; i < 500; i++) {
        assertThat(shared.admitted("room-" + (i % 5), t + "-" + i)).isTrue();
      }
    }
  }
}
