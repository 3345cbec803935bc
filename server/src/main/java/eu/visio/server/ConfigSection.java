package eu.visio.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import eu.visio.server.ConfigFile.Invalid;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One mapping of the {@link ConfigFile} and where it sits ({@code rtc}, {@code cluster.redis},
 * {@code turn_servers[]}): made only once its keys are checked against the known ones, it reads
 * typed values whose errors name the key by its full path. A section absent from the file reads as
 * empty: every optional value is absent and every fallback applies.
 */
final class ConfigSection {

  /** Reads one value; {@code where} names it in the error. */
  @FunctionalInterface
  interface Reader<T> {
    T read(JsonNode n, String where) throws Invalid;
  }

  /** Reads one section. */
  @FunctionalInterface
  interface SectionReader<T> {
    T read(ConfigSection s) throws Invalid;
  }

  // host:port, the host a name, an IPv4 address or a bracketed IPv6 one.
  private static final Pattern HOST_PORT =
      Pattern.compile("([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\]):[0-9]{1,5}");

  private final JsonNode node;
  // The keys' prefix: empty at the top of the file.
  private final String path;

  private ConfigSection(JsonNode node, String path) {
    this.node = node;
    this.path = path;
  }

  /** The whole file, a mapping of the {@code known} keys. */
  static ConfigSection root(JsonNode root, Set<String> known) throws Invalid {
    object(root, "the configuration", known);
    return new ConfigSection(root, "");
  }

  /** {@code n}, a mapping of the {@code known} keys named {@code where} (a list's element). */
  static ConfigSection of(JsonNode n, String where, Set<String> known) throws Invalid {
    object(n, where, known);
    return new ConfigSection(n, where);
  }

  /** The mapping under {@code key}, of the {@code known} keys; empty when there is none. */
  ConfigSection section(String key, Set<String> known) throws Invalid {
    JsonNode n = node.path(key);
    if (n.isMissingNode()) {
      return new ConfigSection(MissingNode.getInstance(), where(key));
    }
    return of(n, where(key), known);
  }

  /**
   * The mapping under {@code key}, of the {@code known} keys, read by {@code reader}; empty when
   * there is none.
   */
  <T> Optional<T> optionalSection(String key, Set<String> known, SectionReader<T> reader)
      throws Invalid {
    return node.has(key)
        ? Optional.of(reader.read(of(node.get(key), where(key), known)))
        : Optional.empty();
  }

  /** Whether the file has this section. */
  boolean present() {
    return !node.isMissingNode();
  }

  boolean has(String key) {
    return node.has(key);
  }

  /** The raw value under {@code key} (a missing node when absent), for lenient reads. */
  JsonNode get(String key) {
    return node.path(key);
  }

  /** The full name of {@code key} in errors: {@code cluster.redis.address}. */
  String where(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** The value under {@code key} read by {@code reader}, or empty when the key is absent. */
  <T> Optional<T> optional(String key, Reader<T> reader) throws Invalid {
    return node.has(key) ? Optional.of(reader.read(node.get(key), where(key))) : Optional.empty();
  }

  /** The value under {@code key} read by {@code reader}, which reports it missing. */
  <T> T required(String key, Reader<T> reader) throws Invalid {
    return reader.read(node.path(key), where(key));
  }

  /** A required non-empty string. */
  String text(String key) throws Invalid {
    return required(key, ConfigSection::text);
  }

  Optional<String> optionalText(String key) throws Invalid {
    return optional(key, ConfigSection::text);
  }

  /** A port from 0 to 65535 (0: none), or empty when absent. */
  Optional<Integer> optionalPort(String key) throws Invalid {
    return optional(key, (n, where) -> port(n, where, 0));
  }

  /** A port from 0 to 65535, or {@code fallback} when absent. */
  int port(String key, int fallback) throws Invalid {
    return port(node.path(key), where(key), fallback);
  }

  Optional<Integer> optionalPositive(String key) throws Invalid {
    return optional(key, ConfigSection::positive);
  }

  Optional<Boolean> optionalBool(String key) throws Invalid {
    return optional(key, ConfigSection::bool);
  }

  /** A boolean that is false when absent. */
  boolean flag(String key) throws Invalid {
    return node.has(key) && bool(node.get(key), where(key));
  }

  /** Each element of the list under {@code key} read by {@code reader}; empty when absent. */
  <T> List<T> list(String key, Reader<T> reader) throws Invalid {
    List<T> out = new ArrayList<>();
    for (JsonNode n : list(node.path(key), where(key))) {
      out.add(reader.read(n, where(key)));
    }
    return out;
  }

  static void object(JsonNode n, String where, Set<String> allowed) throws Invalid {
    if (!n.isObject()) {
      throw new Invalid(where + ": expected a mapping");
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        throw new Invalid(
            where
                + ": unknown key '"
                + key
                + "' (known: "
                + String.join(", ", allowed.stream().sorted().toList())
                + ")");
      }
    }
  }

  static List<JsonNode> list(JsonNode n, String where) throws Invalid {
    if (n.isMissingNode() || n.isNull()) {
      return List.of();
    }
    if (!n.isArray()) {
      throw new Invalid(where + ": expected a list");
    }
    List<JsonNode> out = new ArrayList<>();
    n.forEach(out::add);
    return out;
  }

  static String text(JsonNode n, String where) throws Invalid {
    if (n == null || !n.isValueNode() || n.isNull() || n.asText().isBlank()) {
      throw new Invalid(where + ": expected a non-empty string");
    }
    return n.asText();
  }

  static int port(JsonNode n, String where, int fallback) throws Invalid {
    if (n == null || n.isMissingNode()) {
      return fallback;
    }
    if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 0 || n.asInt() > 65535) {
      throw new Invalid(where + ": a port from 0 to 65535");
    }
    return n.asInt();
  }

  static int positive(JsonNode n, String where) throws Invalid {
    // canConvertToInt alone takes 1.5 and reads it as 1
    if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 1) {
      throw new Invalid(where + ": a positive number");
    }
    return n.asInt();
  }

  static boolean bool(JsonNode n, String where) throws Invalid {
    if (!n.isBoolean()) {
      throw new Invalid(where + ": true or false");
    }
    return n.asBoolean();
  }

  static URI httpUri(JsonNode n, String where) throws Invalid {
    String t = text(n, where);
    try {
      URI u = new URI(t);
      if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme())) {
        throw new Invalid(where + ": an http(s) URL");
      }
      return u;
    } catch (java.net.URISyntaxException e) {
      throw new Invalid(where + ": not a URL");
    }
  }

  static String hostPort(JsonNode n, String where) throws Invalid {
    String t = text(n, where);
    if (!HOST_PORT.matcher(t).matches()) {
      throw new Invalid(where + ": host:port, without credentials: " + t.replaceAll(".*@", ""));
    }
    return t;
  }
}
