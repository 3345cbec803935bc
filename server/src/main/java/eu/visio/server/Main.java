package eu.visio.server;

import eu.visio.signal.token.ApiKeys;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Command line entry point: {@code java -jar visio-server.jar [options]}. */
@Command(
    name = "visio",
    mixinStandardHelpOptions = true,
    description = "Visio videoconferencing server (WHIP/WHEP, WebRTC SFU).")
public final class Main implements Callable<Integer> {
  @Option(names = "--bind", description = "Address to bind (default ${DEFAULT-VALUE}).")
  String bind = "0.0.0.0";

  @Option(names = "--http-port", description = "HTTP port (default ${DEFAULT-VALUE}).")
  int httpPort = 7880;

  @Option(names = "--udp-port", description = "Media UDP port (default ${DEFAULT-VALUE}).")
  int udpPort = 7882;

  @Option(
      names = "--announce",
      split = ",",
      description = "Addresses to offer as ICE candidates (default: discovered).")
  List<String> announce = new ArrayList<>();

  @Option(
      names = "--media-workers",
      description =
          "Media threads; each owns the rooms placed on it and, on Linux, its own socket on the"
              + " media port (default: one per processor).")
  Integer mediaWorkers;

  @Option(
      names = "--no-loopback-candidates",
      description = "Never offer loopback addresses as candidates.")
  boolean noLoopback;

  @Override
  public Integer call() throws Exception {
    List<InetAddress> announced = new ArrayList<>();
    for (String a : announce) {
      announced.add(InetAddress.getByName(a));
    }
    // The WHIP/WHEP bearer token comes from the environment so it never shows in `ps`.
    Optional<String> token =
        Optional.ofNullable(System.getenv("VISIO_WHIP_TOKEN")).filter(s -> !s.isBlank());
    ServerConfig config =
        new ServerConfig(
            bind,
            httpPort,
            udpPort,
            announced,
            !noLoopback,
            token,
            mediaWorkers == null ? ServerConfig.defaultMediaWorkers() : mediaWorkers,
            // LiveKit-style "key: secret" pairs, from the environment for the same reason.
            ApiKeys.parse(Optional.ofNullable(System.getenv("VISIO_KEYS")).orElse("")));
    VisioServer server = VisioServer.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "visio-shutdown"));
    stopped.await();
    return 0;
  }

  public static void main(String[] args) {
    int code = new CommandLine(new Main()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }
}
