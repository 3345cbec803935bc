package eu.visio.loadtest.relay;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;

/**
 * The bare relay as a process of its own, so its CPU is measured alone: {@code RelayMain PORT
 * [WORKERS]} binds 127.0.0.1:PORT and runs until killed.
 */
public final class RelayMain {
  private RelayMain() {}

  public static void main(String[] args) throws InterruptedException {
    int port = Integer.parseInt(args[0]);
    int workers =
        args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
    Relay relay =
        Relay.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), workers);
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  relay.close();
                  stop.countDown();
                }));
    System.out.println("relay listening on " + relay.localAddress());
    stop.await();
  }
}
