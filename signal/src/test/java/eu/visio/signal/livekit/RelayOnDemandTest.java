package eu.visio.signal.livekit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RelayOnDemandTest {
  private static final long HOUR = RelayOnDemand.MEMORY_NANOS;

  @Test
  void aParticipantIsAskedOnceAndOnlyWhenRelaysAreHeldBack() {
    RelayOnDemand.Session s = new RelayOnDemand.Session();
    assertThat(s.mayAsk(false)).as("relays handed to everyone: nothing to ask").isFalse();
    assertThat(s.mayAsk(true)).isTrue();
    s.ask();
    assertThat(s.offered()).as("its resume carries the relays").isTrue();
    assertThat(s.mayAsk(true)).as("asked once per session").isFalse();
  }

  @Test
  void aParticipantThatHasTheRelaysIsNeverAsked() {
    RelayOnDemand.Session s = new RelayOnDemand.Session();
    s.markOffered(); // its JoinResponse carried them (remembered from an earlier join)
    assertThat(s.mayAsk(true)).isFalse();
  }

  @Test
  void theMemoryNamesARoomAndIdentityForAnHour() {
    RelayOnDemand.Memory m = new RelayOnDemand.Memory();
    long t = 1_000;
    m.remember("room", "ann", t);
    assertThat(m.needs("room", "ann", t + HOUR)).isTrue();
    assertThat(m.needs("room", "bob", t)).as("another identity").isFalse();
    assertThat(m.needs("other", "ann", t)).as("another room").isFalse();
    assertThat(m.needs("room", "ann", t + HOUR + 1)).as("expired").isFalse();
    assertThat(m.size()).as("an expired entry is dropped when read").isZero();
  }

  @Test
  void roomAndIdentityCannotBeConfusedByTheirSeparator() {
    RelayOnDemand.Memory m = new RelayOnDemand.Memory();
    m.remember("a-b", "c", 0);
    assertThat(m.needs("a", "b-c", 0)).isFalse();
    assertThat(m.needs("a-b", "c", 0)).isTrue();
  }

  @Test
  void theMemoryKeepsTheMostRecentlyNeededWithinItsCapacity() {
    RelayOnDemand.Memory m = new RelayOnDemand.Memory();
    for (int i = 0; i < RelayOnDemand.Memory.CAPACITY + 10; i++) {
      m.remember("room", "p" + i, i);
    }
    assertThat(m.size()).isEqualTo(RelayOnDemand.Memory.CAPACITY);
    assertThat(m.needs("room", "p0", 20)).as("the oldest made room").isFalse();
    assertThat(m.needs("room", "p" + (RelayOnDemand.Memory.CAPACITY + 9), 20)).isTrue();
  }
}
