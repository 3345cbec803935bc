package eu.visio.meet.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.visio.meet.lobby.Lobby;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The lobby in the database ({@link JdbcLobbyStore}) as two nodes of a cluster share it: two {@link
 * Lobby}s on one database, each what one node holds. A knock made through one is seen and decided
 * through the other, the lobby's rules hold across both, and each node's watchers hear of the
 * other's changes at its next sweep.
 */
interface LobbyContract extends StoreAccess {
  Lobby.Limits LIMITS =
      new Lobby.Limits(Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofMinutes(10), 3);

  private Lobby node() {
    return new Lobby(clock(), LIMITS, new JdbcLobbyStore(database().dataSource()));
  }

  /** What a watcher heard, one line per event. */
  final class Heard implements Lobby.Listener {
    final List<String> events = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onKnock(String room, Lobby.Knock k) {
      events.add("knock " + k.participant());
    }

    @Override
    public void onDecision(String room, Lobby.Knock k) {
      events.add(k.status() + " " + k.participant());
    }

    @Override
    public void onExpiry(String room, Lobby.Knock k) {
      events.add("lapsed " + k.participant());
    }
  }

  @Test
  default void aKnockThroughOneNodeIsDecidedThroughAnother() {
    Lobby a = node();
    Lobby b = node();
    a.knock("room", "guest", "Guest", false);
    assertThat(b.waiting("room")).extracting(Lobby.Knock::name).containsExactly("Guest");
    assertThat(b.decide("room", "guest", true)).isPresent();
    assertThat(a.admitted("room", "guest")).isTrue();
    assertThat(a.decide("room", "guest", false)).as("decided already, on the other node").isEmpty();
    // Knocking again through either node changes nothing, and the first name stays.
    assertThat(b.knock("room", "guest", "Other", false).status()).isEqualTo(Lobby.Status.ADMITTED);
    assertThat(a.find("room", "guest").orElseThrow().name()).isEqualTo("Guest");
  }

  @Test
  default void theRulesHoldAcrossNodes() {
    Lobby a = node();
    Lobby b = node();
    a.knock("room", "p1", "One", false);
    b.knock("room", "p2", "Two", true);
    a.knock("room", "p3", "Three", false);
    assertThatThrownBy(() -> b.knock("room", "p4", "Four", false))
        .as("the per-room cap counts every node's knocks")
        .isInstanceOf(Lobby.FullException.class);
    assertThat(a.waiting("room"))
        .extracting(Lobby.Knock::participant)
        .as("first come first")
        .containsExactly("p1", "p2", "p3");
    assertThat(b.waiting("room").get(1).authenticated()).isTrue();

    b.decide("room", "p1", false);
    assertThat(a.knock("room", "p1", "One", false).status())
        .as("a denial lasts, whichever node the guest knocks through")
        .isEqualTo(Lobby.Status.DENIED);

    clock().advance(LIMITS.knock());
    assertThat(a.status("room", "p2"))
        .as("a knock nobody decided lapses")
        .isEqualTo(Lobby.Status.UNKNOWN);
    clock().advance(LIMITS.denial());
    b.sweep();
    assertThat(count("SELECT COUNT(*) FROM lobby_knocks")).isZero();
    assertThat(count("SELECT COUNT(*) FROM lobby_doors"))
        .as("an emptied room's door goes")
        .isZero();
    assertThat(a.knock("room", "p1", "One", false).status())
        .as("the denial lapsed: a new knock waits")
        .isEqualTo(Lobby.Status.WAITING);
  }

  @Test
  default void eachNodesWatchersHearTheOthersChangesAtItsNextSweep() {
    Lobby guestsNode = node();
    Lobby hostsNode = node();
    Heard host = new Heard();
    Heard guest = new Heard();
    Lobby.Watch h = hostsNode.watch("room", host);
    guestsNode.knock("room", "g", "G", false);
    Lobby.Watch w = guestsNode.watch("room", guest);
    assertThat(host.events).as("not before the host's node looks").isEmpty();
    hostsNode.sweep();
    assertThat(host.events).containsExactly("knock g");

    hostsNode.decide("room", "g", true);
    assertThat(host.events)
        .as("the deciding node's watchers hear at once")
        .containsExactly("knock g", "ADMITTED g");
    assertThat(guest.events).isEmpty();
    guestsNode.sweep();
    guestsNode.sweep();
    assertThat(guest.events)
        .as("once, at the guest's node's next sweep")
        .containsExactly("ADMITTED g");

    clock().advance(LIMITS.admission());
    hostsNode.sweep();
    guestsNode.sweep();
    assertThat(guest.events).containsExactly("ADMITTED g", "lapsed g");
    assertThat(host.events).containsExactly("knock g", "ADMITTED g", "lapsed g");
    w.close();
    h.close();
    assertThat(hostsNode.watchedRooms()).isZero();
  }

  /**
   * With the nodes telling each other of their changes (a cluster's bus, here a direct call), the
   * other node's watchers hear at once: no sweep in this test.
   */
  @Test
  default void toldOfTheOthersChangesEachNodesWatchersHearAtOnce() {
    Lobby guestsNode = node();
    Lobby hostsNode = node();
    List<String> told = Collections.synchronizedList(new ArrayList<>());
    guestsNode.onChangedHere(
        room -> {
          told.add("guests' node: " + room);
          hostsNode.changedElsewhere(room);
        });
    hostsNode.onChangedHere(
        room -> {
          told.add("hosts' node: " + room);
          guestsNode.changedElsewhere(room);
        });
    Heard host = new Heard();
    Heard guest = new Heard();
    Lobby.Watch h = hostsNode.watch("room", host);
    Lobby.Watch w = guestsNode.watch("room", guest);

    guestsNode.knock("room", "g", "G", false);
    assertThat(host.events).as("the knock, on the other node, at once").containsExactly("knock g");
    hostsNode.decide("room", "g", true);
    assertThat(guest.events)
        .as("its own knock, then the decision on the other node, at once")
        .containsExactly("knock g", "ADMITTED g");
    assertThat(told).containsExactly("guests' node: room", "hosts' node: room");
    // Told again of a change it already heard of, a watcher hears nothing twice.
    hostsNode.changedElsewhere("room");
    assertThat(host.events).containsExactly("knock g", "ADMITTED g");
    w.close();
    h.close();
  }

  @Test
  default void concurrentKnocksThroughTwoNodesKeepTheCap() throws Exception {
    Lobby a = node();
    Lobby b = node();
    AtomicInteger full = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        Lobby via = i % 2 == 0 ? a : b;
        String p = "p" + i;
        done.add(
            pool.submit(
                () -> {
                  try {
                    via.knock("room", p, p, false);
                  } catch (Lobby.FullException e) {
                    full.incrementAndGet();
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertThat(a.waiting("room")).hasSize(LIMITS.waitingPerRoom());
    assertThat(full.get()).isEqualTo(24 - LIMITS.waitingPerRoom());
    assertThat(count("SELECT COUNT(*) FROM lobby_knocks")).isEqualTo(LIMITS.waitingPerRoom());
  }
}
