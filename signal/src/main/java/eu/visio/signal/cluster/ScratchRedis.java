package eu.visio.signal.cluster;

import java.nio.file.Path;
import java.util.List;

/**
 * The command line of a scratch {@code redis-server}, one a test or a load-test run starts for
 * itself: on loopback, in the foreground (a child process to stop), its files in one directory of
 * its own, nothing persisted. Never a production Redis.
 *
 * <p>It lives in main code because its two users cannot share test code: the signal module's {@code
 * RedisServer} test fixture (which adds a password and a log file) and the load generator's cascade
 * target, main code of a module that depends on this one.
 */
public final class ScratchRedis {
  private ScratchRedis() {}

  /** {@code binary} on 127.0.0.1:{@code port}, working in {@code dir}. */
  public static List<String> command(String binary, int port, Path dir) {
    return List.of(
        binary,
        "--port",
        Integer.toString(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        dir.toString(),
        "--save",
        "",
        "--appendonly",
        "no",
        "--daemonize",
        "no");
  }
}
