package eu.visio.loadtest.janus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The configuration Janus runs with in a load test, written to a directory of its own: the
 * VideoRoom plugin and the HTTP transport alone (every other plugin, transport, event handler and
 * logger the installation has is disabled by name, as {@code janus.jcfg} only knows a deny list),
 * HTTP on loopback, ICE-lite (as our server: the bots are the full, controlling agents) on one
 * local IPv4 address, a fixed RTP port range, and a low log level so that logging costs no CPU.
 *
 * <p>Janus never gathers candidates on a loopback interface (its {@code ice.c} skips {@code
 * IFF_LOOPBACK} ones), so its media address is one of the machine's own others, which the kernel
 * carries over {@code lo} all the same when both ends are on this machine.
 *
 * @param libDir Janus's library folder, with {@code plugins/}, {@code transports/}, {@code events/}
 *     and {@code loggers/}
 * @param iceAddress the one IPv4 address Janus gathers on and puts in its SDP
 * @param httpPort the HTTP API's port on 127.0.0.1
 * @param rtpMinPort lowest media port
 * @param rtpMaxPort highest media port
 * @param debugLevel Janus's log level: 0 none ... 2 errors, 3 warnings, 4 information
 */
public record JanusConfig(
    Path libDir, String iceAddress, int httpPort, int rtpMinPort, int rtpMaxPort, int debugLevel) {

  public static final String VIDEOROOM = "libjanus_videoroom.so";
  public static final String HTTP = "libjanus_http.so";

  public JanusConfig {
    if (httpPort < 1 || httpPort > 65535 || rtpMinPort < 1024 || rtpMaxPort < rtpMinPort) {
      throw new IllegalArgumentException("ports out of range");
    }
    if (rtpMaxPort > 65535 || debugLevel < 0 || debugLevel > 7) {
      throw new IllegalArgumentException("ports or debug level out of range");
    }
  }

  /**
   * The files, by name, for {@code janus -F dir -C dir/janus.jcfg}, given the {@code .so} files of
   * each library folder (by folder name) found in the installation.
   */
  public Map<String, String> files(Path configDir, Map<String, ? extends Collection<String>> libs) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put(
        "janus.jcfg",
        String.join(
            "\n",
            "general: {",
            "  configs_folder = " + quote(configDir.toString()),
            "  plugins_folder = " + quote(libDir.resolve("plugins").toString()),
            "  transports_folder = " + quote(libDir.resolve("transports").toString()),
            "  events_folder = " + quote(libDir.resolve("events").toString()),
            "  loggers_folder = " + quote(libDir.resolve("loggers").toString()),
            "  debug_level = " + debugLevel,
            "  debug_colors = false",
            "  interface = " + quote(iceAddress),
            "  server_name = \"visio-loadtest\"",
            "  session_timeout = 60",
            "}",
            "media: {",
            "  ipv6 = false",
            "  rtp_port_range = \"" + rtpMinPort + "-" + rtpMaxPort + "\"",
            "}",
            "nat: {",
            "  ice_lite = true",
            "  ice_tcp = false",
            "  full_trickle = false",
            "  ignore_mdns = true",
            "  ice_enforce_list = " + quote(iceAddress),
            "}",
            "plugins: {",
            "  disable = " + quote(disable(libs.get("plugins"), VIDEOROOM)),
            "}",
            "transports: {",
            "  disable = " + quote(disable(libs.get("transports"), HTTP)),
            "}",
            "events: {",
            "  broadcast = false",
            "  disable = " + quote(disable(libs.get("events"), null)),
            "}",
            "loggers: {",
            "  disable = " + quote(disable(libs.get("loggers"), null)),
            "}",
            ""));
    f.put(
        "janus.transport.http.jcfg",
        String.join(
            "\n",
            "general: {",
            "  json = \"compact\"",
            "  base_path = \"/janus\"",
            "  http = true",
            "  port = " + httpPort,
            "  ip = \"127.0.0.1\"",
            "  https = false",
            "}",
            "admin: {",
            "  admin_http = false",
            "  admin_https = false",
            "}",
            ""));
    // No rooms up front: the load test creates its own through the API.
    f.put("janus.plugin.videoroom.jcfg", "general: {\n}\n");
    return f;
  }

  /** Writes {@link #files} for the installation under {@link #libDir} into {@code dir}. */
  public void write(Path dir) throws IOException {
    Map<String, java.util.List<String>> libs = new LinkedHashMap<>();
    for (String folder : new String[] {"plugins", "transports", "events", "loggers"}) {
      Path d = libDir.resolve(folder);
      java.util.List<String> names = new java.util.ArrayList<>();
      if (Files.isDirectory(d)) {
        try (Stream<Path> s = Files.list(d)) {
          s.map(p -> p.getFileName().toString()).forEach(names::add);
        }
      }
      libs.put(folder, names);
    }
    for (Map.Entry<String, String> e : files(dir, libs).entrySet()) {
      Files.writeString(dir.resolve(e.getKey()), e.getValue());
    }
  }

  /**
   * The comma-separated deny list: every {@code .so} (not its versioned links, which Janus does not
   * load) but {@code keep}.
   */
  static String disable(Collection<String> names, String keep) {
    if (names == null) {
      return "";
    }
    return names.stream()
        .filter(n -> n.endsWith(".so") && !n.equals(keep))
        .sorted()
        .collect(Collectors.joining(","));
  }

  private static String quote(String s) {
    if (s.indexOf('"') >= 0 || s.indexOf('\\') >= 0 || s.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("unquotable path: " + s);
    }
    return "\"" + s + "\"";
  }
}
