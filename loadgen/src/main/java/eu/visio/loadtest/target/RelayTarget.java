package eu.visio.loadtest.target;

import eu.visio.loadtest.bot.Bot;
import eu.visio.loadtest.relay.RelayMain;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bare relay ({@link RelayMain}) in a JVM of its own on an ephemeral loopback port: the floor
 * of forwarding cost. Bots join it in plain RTP with the relay's hello; a publisher sends only the
 * layer subscribers ask for, as dynacast would have it do, since the relay selects no layer.
 */
public final class RelayTarget implements Target {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Pattern LISTENING = Pattern.compile("relay listening on \\S*:(\\d+)");

  private final int workers;

  /** With as many media workers as processors, as the server has by default. */
  public RelayTarget() {
    this(Runtime.getRuntime().availableProcessors());
  }

  public RelayTarget(int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("at least one worker");
    }
    this.workers = workers;
  }

  @Override
  public String name() {
    return "relay";
  }

  @Override
  public boolean webrtc() {
    return false;
  }

  @Override
  public TargetSession start(Path workDir) throws IOException, InterruptedException {
    ServerProcess p =
        ServerProcess.start(
            RelayMain.class.getName(),
            List.of("-XX:+UseZGC"),
            List.of("0", Integer.toString(workers)),
            workDir.resolve("relay.log"));
    int[] port = {0};
    // Port 0: the relay binds an ephemeral port and says which once it is bound.
    p.awaitReady(
        "the relay",
        () -> {
          try {
            Matcher m = LISTENING.matcher(p.log());
            if (m.find()) {
              port[0] = Integer.parseInt(m.group(1));
            }
          } catch (IOException e) {
            return false;
          }
          return port[0] != 0;
        },
        START_TIMEOUT);
    return new Session(p, new InetSocketAddress(InetAddress.getLoopbackAddress(), port[0]));
  }

  private static final class Session implements TargetSession {
    private final ServerProcess process;
    private final InetSocketAddress address;

    Session(ServerProcess process, InetSocketAddress address) {
      this.process = process;
      this.address = address;
    }

    @Override
    public CompletableFuture<Void> join(Bot bot, BotPlan plan) {
      if (plan.video()) {
        for (int l = 0; l < plan.layers(); l++) {
          bot.setLayerEnabled(l, l == plan.layer());
        }
      }
      bot.startPlain(address, plan.layer());
      return bot.ready();
    }

    @Override
    public long pid() {
      return process.pid();
    }

    @Override
    public void close() {
      process.close();
    }
  }
}
