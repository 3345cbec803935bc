package eu.visio.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.signal.cluster.CascadeMode;
import eu.visio.signal.cluster.NodeCapacity;
import eu.visio.signal.cluster.NodeInfo;
import eu.visio.signal.cluster.NodeLoad;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** When a join whose room lives on another node is served where it lands: the cascade rule. */
class ServesHereTest {
  private static ClusterNode.Remote home(String region, int participants, int pending, int cap) {
    return new ClusterNode.Remote(
        new NodeInfo(
            "home",
            region,
            URI.create("http://10.0.0.1:7880"),
            "10.0.0.1",
            1,
            new NodeCapacity(cap, 1_000_000),
            new NodeLoad(0.1, 0, participants, 0),
            false,
            pending));
  }

  @Test
  void theRuleByModeRegionAndLoad() {
    // mode, home region, its participants, on their way, its capacity; served here from "paris"?
    Object[][] table = {
      {CascadeMode.REGIONS, "paris", 10, 0, 500, false}, // same region, room: relay to the home
      {CascadeMode.REGIONS, "lyon", 10, 0, 500, true}, // another region: served here
      {CascadeMode.REGIONS, "paris", 500, 0, 500, true}, // home full: the room grows here
      {CascadeMode.REGIONS, "paris", 498, 2, 500, true}, // full with those on their way
      {CascadeMode.REGIONS, "paris", 498, 1, 500, false}, // one seat left
      {CascadeMode.REGIONS, "paris", 0, 0, 1, false}, // an empty node of one seat
      {CascadeMode.ALWAYS, "paris", 0, 0, 500, true},
      {CascadeMode.OFF, "lyon", 500, 0, 500, false}, // off: relayed even across regions
    };
    for (Object[] row : table) {
      ClusterNode.Remote h =
          home((String) row[1], (Integer) row[2], (Integer) row[3], (Integer) row[4]);
      assertThat(ClusterNode.servesHere((CascadeMode) row[0], "paris", h))
          .as(java.util.Arrays.toString(row))
          .isEqualTo(row[5]);
    }
  }
}
