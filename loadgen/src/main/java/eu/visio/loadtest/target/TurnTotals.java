package eu.visio.loadtest.target;

/**
 * What a server's TURN relays have done so far, from its metrics.
 *
 * @param relayed datagrams relayed, both ways (client to peer and peer to client)
 * @param refused requests refused and datagrams dropped, whatever the reason
 */
public record TurnTotals(long relayed, long refused) {
  /** The counts from a Prometheus scrape of our server ({@code visio_turn_*_total} samples). */
  static TurnTotals parse(String scrape) {
    long relayed = 0;
    long refused = 0;
    for (String line : scrape.split("\n")) {
      if (line.startsWith("visio_turn_relayed_to_peers_total ")
          || line.startsWith("visio_turn_relayed_to_clients_total ")) {
        relayed += value(line);
      } else if (line.startsWith("visio_turn_refused_total{")) {
        refused += value(line);
      }
    }
    return new TurnTotals(relayed, refused);
  }

  private static long value(String line) {
    return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).strip());
  }

  /** What happened between {@code earlier} and this. */
  public TurnTotals minus(TurnTotals earlier) {
    return new TurnTotals(relayed - earlier.relayed, refused - earlier.refused);
  }
}
