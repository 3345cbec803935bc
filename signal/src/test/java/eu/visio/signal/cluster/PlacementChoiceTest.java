package eu.visio.signal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The placement rule alone, on fixed registrations (no Redis). */
class PlacementChoiceTest {
  private static final NodeCapacity CAP = new NodeCapacity(100, 100_000);

  private static NodeInfo node(
      String id, String region, double cpu, int participants, long pps, boolean draining) {
    return new NodeInfo(
        id,
        region,
        URI.create("https://" + id),
        "192.0.2.1",
        1,
        CAP,
        new NodeLoad(cpu, pps, participants, 0),
        draining,
        0);
  }

  /** west-1 is busy, west-2 moderate, east-1 idle but far; central-1 drains. */
  private static final List<NodeInfo> NODES =
      List.of(
          node("west-1", "west", 0.60, 50, 10_000, false),
          node("west-2", "west", 0.20, 30, 40_000, false),
          node("east-1", "east", 0.05, 5, 1_000, false),
          node("central-1", "central", 0.00, 0, 0, true));

  @ParameterizedTest(name = "region {0}, hint {1} -> {2}")
  @CsvSource({
    // no region: the least loaded of all (draining central-1 never)
    "''      , 1   , east-1",
    // the region wins over a lighter node elsewhere; inside it, the lower score (west-2: 0.4 pps)
    "west    , 1   , west-2",
    "east    , 1   , east-1",
    // a region with no open node: the least loaded elsewhere
    "central , 1   , east-1",
    // west-2 has 70 free, west-1 50: a 60-person room skips west-1 but fits west-2
    "west    , 60  , west-2",
    // nothing in west has 80 free: east-1 (95 free) fits, region or not
    "west    , 80  , east-1",
    // nobody has 200 free: the hint is ignored, the region kept
    "west    , 200 , west-2",
  })
  void choosesByFitThenRegionThenScore(String region, int hint, String expected) {
    assertThat(Placement.choose(NODES, new Placement.Request(region, hint)))
        .map(NodeInfo::id)
        .contains(expected);
  }

  @ParameterizedTest(name = "cpu {0}, participants {1}, pps {2} -> {3}")
  @CsvSource({
    "0.10, 0,   0,       0.10",
    "0.10, 50,  0,       0.50", // participants are the bottleneck
    "0.10, 10,  90000,   0.90", // packets are
    "1.00, 0,   0,       1.00",
  })
  void scoreIsTheMostUsedResource(double cpu, int participants, long pps, double score) {
    assertThat(Placement.score(node("n", "r", cpu, participants, pps, false)))
        .isCloseTo(score, org.assertj.core.data.Offset.offset(1e-9));
  }

  @org.junit.jupiter.api.Test
  void pendingPlacementsCountAsParticipants() {
    NodeInfo busyPending =
        new NodeInfo(
            "a", "r", URI.create("https://a"), "192.0.2.1", 1, CAP, NodeLoad.IDLE, false, 40);
    NodeInfo idle = node("b", "r", 0.3, 0, 0, false);
    assertThat(Placement.choose(List.of(busyPending, idle), new Placement.Request("r", 1)))
        .map(NodeInfo::id)
        .contains("b");
  }

  @org.junit.jupiter.api.Test
  void noOpenNodeMeansNoChoice() {
    assertThat(
            Placement.choose(List.of(node("a", "r", 0, 0, 0, true)), new Placement.Request("r", 1)))
        .isEqualTo(Optional.empty());
  }

  /** Three idle nodes a, b, c (and a busier d): the node placing the room wins only a tie. */
  @ParameterizedTest(name = "preferred {0} -> {1}")
  @CsvSource({
    "b    , b", // a tie on load: the placing node, so the room needs no relay
    "c    , c",
    "''   , a", // nobody preferred: the id breaks the tie, as on every node
    "d    , a", // the preferred node is busier: load wins
    "zz   , a", // not registered
  })
  void thePreferredNodeWinsOnlyATie(String preferred, String expected) {
    List<NodeInfo> nodes =
        List.of(
            node("a", "r", 0, 0, 0, false),
            node("b", "r", 0, 0, 0, false),
            node("c", "r", 0, 0, 0, false),
            node("d", "r", 0, 10, 0, false));
    assertThat(Placement.choose(nodes, new Placement.Request("r", 1, preferred)))
        .map(NodeInfo::id)
        .contains(expected);
  }
}
