package eu.visio.loadtest.target;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TurnTotalsTest {
  @Test
  void sumsTheRelayedAndRefusedSamplesOfAScrape() {
    String scrape =
        """
        # HELP visio_turn_relayed_to_peers_total Datagrams TURN relays sent to peers (the SFU)
        # TYPE visio_turn_relayed_to_peers_total counter
        visio_turn_relayed_to_peers_total 1200.0
        visio_turn_relayed_to_clients_total 3400.0
        visio_turn_refused_total{reason="challenged"} 10.0
        visio_turn_refused_total{reason="unknown_channel"} 2.0
        visio_turn_allocations_made_total 10.0
        visio_turn_active_allocations 10.0
        """;
    TurnTotals t = TurnTotals.parse(scrape);
    assertThat(t).isEqualTo(new TurnTotals(4600, 12));
    assertThat(t.minus(new TurnTotals(600, 10))).isEqualTo(new TurnTotals(4000, 2));
  }
}
