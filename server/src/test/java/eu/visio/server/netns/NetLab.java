package eu.visio.server.netns;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client network namespace linked to the test's own (root) namespace by a veth pair on a /24: the
 * server side is {@code X.Y.N.1} in the root namespace, the client {@code X.Y.N.2} inside the
 * namespace, loopback up in both. {@link #create()} numbers the link from the private {@code
 * 10.231.0.0/16}, a server on an intranet; {@link #createPublic()} from {@code 198.18.0.0/16} (in
 * RFC 2544's benchmarking range, routed nowhere), which browsers take for a public address, as a
 * server on the internet has. (Chromium's WebRTC refuses a remote candidate on port 80 or 443 at a
 * private address, so ICE-TCP on 443 can only be seen to work with the second.) A server under test
 * binds the {@link #serverAddress()}; a browser run with {@link #command} is a client whose network
 * {@link #firewall} locks down as a test wants.
 *
 * <p>Names carry the JVM's pid ({@code vt-<pid>-<seq>}), so parallel runs never meet, and a lab
 * left by a run that died (its pid gone) is removed when the next one starts. {@link #close()}
 * kills whatever still runs in the namespace and deletes it; a shutdown hook does the same if the
 * JVM stops first. Tests skip (an assumption) when not root or without {@code ip} and {@code nft}.
 */
public final class NetLab implements AutoCloseable {
  private static final Pattern NAME = Pattern.compile("^vt-(\\d+)-(\\d+)\\b");
  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static final String IP = "/usr/sbin/ip";
  private static final String NFT = "/usr/sbin/nft";

  /** The client's end of the link, inside the namespace (names there are private to it). */
  static final String CLIENT_LINK = "lab0";

  private final String namespace;
  private final String hostLink;
  private final InetAddress server;
  private final InetAddress client;
  private final Thread cleanup;
  private int controlPorts;
  private boolean closed;

  private NetLab(String namespace, String hostLink, InetAddress server, InetAddress client) {
    this.namespace = namespace;
    this.hostLink = hostLink;
    this.server = server;
    this.client = client;
    this.cleanup = new Thread(this::teardown, namespace + "-cleanup");
  }

  /**
   * Builds a lab with nothing blocked, on a private address; skips the calling test where labs
   * cannot be built.
   */
  public static NetLab create() {
    return create(new byte[] {10, (byte) 231});
  }

  /** The same on an address browsers take for a public one (see the class comment). */
  public static NetLab createPublic() {
    return create(new byte[] {(byte) 198, 18});
  }

  private static NetLab create(byte[] prefix) {
    assumeTrue(
        "0".equals(Shell.run("id", "-u").output().strip()),
        "network namespace tests need root (ip netns, veth, nftables)");
    assumeTrue(
        new File(IP).canExecute() && new File(NFT).canExecute(),
        "network namespace tests need iproute2 and nftables (./test installs them)");
    removeStale();
    int seq = SEQUENCE.incrementAndGet();
    long pid = ProcessHandle.current().pid();
    String namespace = "vt-" + pid + "-" + seq;
    String hostLink = "vt" + pid + "h" + seq; // at most 15 characters for pids below 10^9
    int subnet = freeSubnet(prefix);
    InetAddress server = address(prefix, subnet, 1);
    InetAddress client = address(prefix, subnet, 2);
    NetLab lab = new NetLab(namespace, hostLink, server, client);
    Runtime.getRuntime().addShutdownHook(lab.cleanup);
    try {
      Shell.check(IP, "netns", "add", namespace);
      Shell.check(
          IP,
          "link",
          "add",
          hostLink,
          "type",
          "veth",
          "peer",
          "name",
          CLIENT_LINK,
          "netns",
          namespace);
      // No IPv6 link-local address on either end: its duplicate address detection ends a second
      // or two after the link comes up, and Chromium takes that address change for a new network
      // (ERR_NETWORK_CHANGED): it closes its HTTP/2 sessions, with the WebSocket riding on one,
      // and WebRTC gathers again. A browser started in a lab must find its network settled.
      Shell.check(IP, "link", "set", "dev", hostLink, "addrgenmode", "none");
      Shell.check(IP, "-n", namespace, "link", "set", "dev", CLIENT_LINK, "addrgenmode", "none");
      Shell.check(IP, "-n", namespace, "link", "set", "lo", "up");
      Shell.check(IP, "addr", "add", server.getHostAddress() + "/24", "dev", hostLink);
      Shell.check(IP, "link", "set", hostLink, "up");
      Shell.check(
          IP, "-n", namespace, "addr", "add", client.getHostAddress() + "/24", "dev", CLIENT_LINK);
      Shell.check(IP, "-n", namespace, "link", "set", CLIENT_LINK, "up");
      lab.awaitSettled();
      return lab;
    } catch (RuntimeException e) {
      lab.close();
      throw e;
    }
  }

  /**
   * Waits until both ends of the link are operationally up with no address still tentative, so that
   * nothing about the network changes once a browser starts (see {@link #create(byte[])}).
   */
  private void awaitSettled() {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      String host = Shell.run(IP, "-o", "addr", "show", "dev", hostLink).output();
      String inside = Shell.run(IP, "-n", namespace, "-o", "addr", "show").output();
      String hostState = Shell.run(IP, "-o", "link", "show", "dev", hostLink).output();
      String insideState =
          Shell.run(IP, "-n", namespace, "-o", "link", "show", "dev", CLIENT_LINK).output();
      boolean up = hostState.contains("state UP") && insideState.contains("state UP");
      boolean tentative = host.contains("tentative") || inside.contains("tentative");
      if (up && !tentative) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "lab link not settled in 10 s: " + hostState + host + insideState + inside);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for the lab link", e);
      }
    }
  }

  /** The server side's address (root namespace, the veth's host end). */
  public InetAddress serverAddress() {
    return server;
  }

  /** The client's address inside the namespace. */
  public InetAddress clientAddress() {
    return client;
  }

  public String namespace() {
    return namespace;
  }

  /** The host end of the link, in the root namespace. */
  String hostLink() {
    return hostLink;
  }

  /**
   * A TCP port for a harness server inside the namespace (chromedriver): one of {@link
   * Firewall#CONTROL_PORTS}, which every rule set lets in from the server side.
   */
  public synchronized int controlPort() {
    int port = Firewall.CONTROL_PORT_MIN + controlPorts++;
    if (port > Firewall.CONTROL_PORT_MAX) {
      throw new IllegalStateException("no control port left in " + Firewall.CONTROL_PORTS);
    }
    return port;
  }

  /** Replaces the client's firewall rules with {@code rules} (one atomic nft transaction). */
  public void firewall(Firewall rules) {
    Shell.check(List.of(IP, "netns", "exec", namespace, NFT, "-f", "-"), rules.script(CLIENT_LINK));
  }

  /** The rules loaded in the client namespace now, as nft lists them (for failure messages). */
  public String ruleset() {
    return Shell.run(IP, "netns", "exec", namespace, NFT, "list", "ruleset").output();
  }

  /** {@code command} run inside the client namespace (for a ProcessBuilder or {@link Shell}). */
  public List<String> command(String... command) {
    List<String> all = new ArrayList<>(List.of(IP, "netns", "exec", namespace));
    all.addAll(List.of(command));
    return all;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook is running or about to, and does the same
    }
    teardown();
  }

  /** Kills what runs in the namespace (a browser left by a failed test), then deletes the lab. */
  private void teardown() {
    remove(namespace, hostLink);
  }

  private static void remove(String namespace, String hostLink) {
    for (String line : Shell.run(IP, "netns", "pids", namespace).output().lines().toList()) {
      try {
        ProcessHandle.of(Long.parseLong(line.strip())).ifPresent(ProcessHandle::destroyForcibly);
      } catch (NumberFormatException e) {
        // "Cannot open network namespace": already gone
      }
    }
    Shell.run(IP, "netns", "del", namespace);
    // Deleting the namespace destroys the pair once nothing holds the namespace; a process that
    // ignored the kill would keep it, and the host end with it.
    Shell.run(IP, "link", "del", hostLink);
  }

  /** Removes the labs of test JVMs that are gone. */
  private static void removeStale() {
    for (String line : Shell.run(IP, "netns", "list").output().lines().toList()) {
      Matcher m = NAME.matcher(line);
      if (!m.find()) {
        continue;
      }
      long pid = Long.parseLong(m.group(1));
      if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        continue;
      }
      remove("vt-" + pid + "-" + m.group(2), "vt" + pid + "h" + m.group(2));
    }
  }

  /** A third octet N such that no address of the root namespace is in {@code prefix.N.0/24}. */
  private static int freeSubnet(byte[] prefix) {
    String used = Shell.check(IP, "-4", "-o", "addr", "show");
    String net = " " + (prefix[0] & 0xFF) + "." + (prefix[1] & 0xFF) + ".";
    for (int attempt = 0; attempt < 64; attempt++) {
      int n = ThreadLocalRandom.current().nextInt(256);
      if (!used.contains(net + n + ".")) {
        return n;
      }
    }
    throw new IllegalStateException("no free" + net + "N.0/24 subnet for a lab:\n" + used);
  }

  private static InetAddress address(byte[] prefix, int subnet, int host) {
    try {
      return InetAddress.getByAddress(
          new byte[] {prefix[0], prefix[1], (byte) subnet, (byte) host});
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** Whether the host end of the link still exists (for the fixture's own test). */
  boolean hostLinkExists() {
    return Shell.run(IP, "link", "show", hostLink).ok();
  }

  /** Whether the namespace still exists (for the fixture's own test). */
  boolean namespaceExists() {
    return Shell.run(IP, "netns", "list")
        .output()
        .lines()
        .anyMatch(l -> l.equals(namespace) || l.startsWith(namespace + " "));
  }
}
