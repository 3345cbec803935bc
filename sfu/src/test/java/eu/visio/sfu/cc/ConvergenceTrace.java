package eu.visio.sfu.cc;

/** Not a test: prints simulation traces while tuning (run with -Dtest=ConvergenceTrace). */
final class ConvergenceTrace {
  public static void main(String[] args) {
    NetworkSimulation[] sim = new NetworkSimulation[1];
    NetworkSimulation s =
        new NetworkSimulation(
            1_500_000,
            1_000_000,
            1,
            0,
            (a, b, r) ->
                System.out.println(
                    "# "
                        + sim[0].now() / 1_000_000
                        + " "
                        + a
                        + " -> "
                        + b
                        + " "
                        + r
                        + " acked "
                        + sim[0].bwe.ackedBps()
                        + " loss "
                        + sim[0].bwe.lossFraction()));
    sim[0] = s;
    if (args.length > 0) {
      s.capacityBps = 5_000_000;
      s.desiredBps = 3_000_000;
      s.probing = true;
      s.run(20_000 * NetworkSimulation.MS);
      System.out.println(
          "clusters "
              + s.bwe.prober().clustersSent()
              + " ok "
              + s.bwe.prober().clustersSucceeded());
      return;
    }
    run(s);
  }

  static void run(NetworkSimulation sim) {
    sim.run(30_000 * NetworkSimulation.MS);
    sim.capacityBps = 500_000;
    sim.run(10_000 * NetworkSimulation.MS);
    sim.capacityBps = 1_500_000;
    sim.lossRate = 0.05;
    sim.run(20_000 * NetworkSimulation.MS);
    sim.lossRate = 0.20;
    sim.run(20_000 * NetworkSimulation.MS);
    for (long[] t : sim.trace) {
      if (t[0] % (250 * NetworkSimulation.MS) == 0) {
        System.out.println(t[0] / 1_000_000 + " " + t[1]);
      }
    }
  }
}
