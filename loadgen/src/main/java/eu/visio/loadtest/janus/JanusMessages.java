package eu.visio.loadtest.janus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The JSON of Janus's HTTP API (janus.conf.meetecho.com/docs/rest) and of its VideoRoom plugin as
 * the load test uses them: the requests it sends and what it reads from the answers. Pure
 * functions, so that both are tested without a Janus.
 */
public final class JanusMessages {
  static final ObjectMapper JSON = new ObjectMapper();
  public static final String VIDEOROOM = "janus.plugin.videoroom";

  private JanusMessages() {}

  /** A core request: {@code {"janus": verb, "transaction": tx}}. */
  static ObjectNode core(String verb, String transaction) {
    ObjectNode n = JSON.createObjectNode();
    n.put("janus", verb);
    n.put("transaction", transaction);
    return n;
  }

  /** Attaches a handle to {@code plugin}. */
  static ObjectNode attach(String transaction, String plugin) {
    return core("attach", transaction).put("plugin", plugin);
  }

  /** A plugin message, with an SDP when {@code jsep} is not null. */
  static ObjectNode message(String transaction, ObjectNode body, ObjectNode jsep) {
    ObjectNode n = core("message", transaction);
    n.set("body", body);
    if (jsep != null) {
      n.set("jsep", jsep);
    }
    return n;
  }

  /**
   * A publisher's offer. Its simulcast rids are listed low to high (q, h, f, as LiveKit's clients
   * send them), which Janus must be told: it assumes high to low ({@code janus.js}'s order) unless
   * the JSEP says {@code "rid_order": "lmh"}, and would then forward the low layer when asked for
   * the high one.
   */
  public static ObjectNode offerLowToHigh(String sdp) {
    return JSON.createObjectNode().put("type", "offer").put("sdp", sdp).put("rid_order", "lmh");
  }

  /** An answer to Janus's offer. */
  public static ObjectNode answer(String sdp) {
    return JSON.createObjectNode().put("type", "answer").put("sdp", sdp);
  }

  /**
   * Creates room {@code room} for {@code publishers} publishers: VP8 and Opus, no bitrate cap and
   * no periodic keyframe requests (the bots' publishers send one every 3 s and on request).
   */
  public static ObjectNode createRoom(long room, int publishers) {
    ObjectNode b = JSON.createObjectNode();
    b.put("request", "create");
    b.put("room", room);
    b.put("description", "loadtest");
    b.put("publishers", publishers);
    b.put("bitrate", 0);
    b.put("fir_freq", 0);
    b.put("audiocodec", "opus");
    b.put("videocodec", "vp8");
    b.put("notify_joining", false);
    b.put("permanent", false);
    return b;
  }

  /** Joins {@code room} as publisher {@code feed} and publishes the offer sent with it. */
  public static ObjectNode publish(long room, long feed, String display) {
    ObjectNode b = JSON.createObjectNode();
    b.put("request", "joinandconfigure");
    b.put("ptype", "publisher");
    b.put("room", room);
    b.put("id", feed);
    b.put("display", display);
    return b;
  }

  /**
   * Joins {@code room} as a subscriber to every stream of {@code feeds}, asking for simulcast layer
   * {@code substream} (0 low ... 2 high) with every temporal layer: Janus answers with its offer.
   */
  public static ObjectNode subscribe(long room, List<Long> feeds, int substream) {
    ObjectNode b = JSON.createObjectNode();
    b.put("request", "join");
    b.put("ptype", "subscriber");
    b.put("room", room);
    b.put("use_msid", false);
    ArrayNode streams = b.putArray("streams");
    for (long f : feeds) {
      streams.addObject().put("feed", f).put("substream", substream).put("temporal", 2);
    }
    return b;
  }

  /** Starts a subscription: sent with the answer to Janus's offer. */
  public static ObjectNode start() {
    return JSON.createObjectNode().put("request", "start");
  }

  /**
   * Why a reply failed, or null when it did not: a core error ({@code "janus": "error"}) or a
   * plugin's ({@code plugindata.data.error}).
   */
  public static String error(JsonNode reply) {
    if ("error".equals(reply.path("janus").asText())) {
      JsonNode e = reply.path("error");
      return "Janus error " + e.path("code").asInt() + ": " + e.path("reason").asText();
    }
    JsonNode data = reply.path("plugindata").path("data");
    if (data.has("error")) {
      return "VideoRoom error "
          + data.path("error_code").asInt()
          + ": "
          + data.path("error").asText();
    }
    return null;
  }

  /** The id a {@code create} or {@code attach} success carries ({@code data.id}). */
  public static long successId(JsonNode reply) {
    JsonNode id = reply.path("data").path("id");
    if (!"success".equals(reply.path("janus").asText()) || !id.canConvertToLong()) {
      throw new IllegalStateException("not a success with an id: " + reply);
    }
    return id.asLong();
  }

  /** The plugin's answer ({@code plugindata.data}), or a missing node. */
  public static JsonNode pluginData(JsonNode reply) {
    return reply.path("plugindata").path("data");
  }

  /** The SDP of a reply's {@code jsep} of type {@code type}, or null. */
  public static String sdpOf(JsonNode reply, String type) {
    JsonNode j = reply.path("jsep");
    return type.equals(j.path("type").asText()) && j.path("sdp").isTextual()
        ? j.path("sdp").asText()
        : null;
  }
}
