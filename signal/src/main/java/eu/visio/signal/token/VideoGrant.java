package eu.visio.signal.token;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code video} claim of a LiveKit access token: what its holder may do in which room. The
 * optional permissions are nullable because LiveKit gives absence a meaning: publishing and
 * subscribing are allowed unless denied, publishing data follows publishing, updating one's own
 * metadata and subscribing to metrics are denied unless granted, and an empty source list allows
 * every source.
 */
public record VideoGrant(
    boolean roomCreate,
    boolean roomList,
    boolean roomRecord,
    boolean roomAdmin,
    boolean roomJoin,
    String room,
    Boolean canPublish,
    Boolean canSubscribe,
    Boolean canPublishData,
    List<String> canPublishSources,
    Boolean canUpdateOwnMetadata,
    boolean ingressAdmin,
    boolean hidden,
    boolean recorder,
    boolean agent,
    Boolean canSubscribeMetrics,
    String destinationRoom) {

  /** The track sources of LiveKit's grants, as they are spelled in tokens. */
  public enum Source {
    CAMERA,
    MICROPHONE,
    SCREEN_SHARE,
    SCREEN_SHARE_AUDIO;

    String claimName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public VideoGrant {
    room = room == null ? "" : room;
    destinationRoom = destinationRoom == null ? "" : destinationRoom;
    canPublishSources = canPublishSources == null ? List.of() : List.copyOf(canPublishSources);
  }

  /** A grant to join {@code room} with LiveKit's default permissions. */
  public static VideoGrant join(String room) {
    return new VideoGrant(
        false, false, false, false, true, room, null, null, null, null, null, false, false, false,
        false, null, null);
  }

  /** The same grant, publishing allowed or denied ({@code null}: LiveKit's default, allowed). */
  public VideoGrant withCanPublish(Boolean value) {
    return copy(roomAdmin, value, canPublishData, canPublishSources, canUpdateOwnMetadata);
  }

  /** The same grant, limited to these sources ({@code camera}, {@code microphone}...). */
  public VideoGrant withSources(List<String> sources) {
    return copy(roomAdmin, canPublish, canPublishData, sources, canUpdateOwnMetadata);
  }

  /** The same grant with room administration (hosts) and metadata updates set. */
  public VideoGrant withAdmin(boolean admin, Boolean updateOwnMetadata) {
    return copy(admin, canPublish, canPublishData, canPublishSources, updateOwnMetadata);
  }

  /** The same grant, publishing data allowed or denied ({@code null}: follows publishing). */
  public VideoGrant withCanPublishData(Boolean value) {
    return copy(roomAdmin, canPublish, value, canPublishSources, canUpdateOwnMetadata);
  }

  /** This grant with the fields the {@code with} methods change replaced. */
  private VideoGrant copy(
      boolean admin, Boolean publish, Boolean data, List<String> sources, Boolean metadata) {
    return new VideoGrant(
        roomCreate,
        roomList,
        roomRecord,
        admin,
        roomJoin,
        room,
        publish,
        canSubscribe,
        data,
        sources,
        metadata,
        ingressAdmin,
        hidden,
        recorder,
        agent,
        canSubscribeMetrics,
        destinationRoom);
  }

  /** A service grant: listing rooms, joining none. */
  public static VideoGrant listRoomsOnly() {
    return new VideoGrant(
        false, true, false, false, false, null, null, null, null, null, null, false, false, false,
        false, null, null);
  }

  public boolean mayPublish() {
    return canPublish == null || canPublish;
  }

  public boolean maySubscribe() {
    return canSubscribe == null || canSubscribe;
  }

  /** Data follows publishing unless set explicitly. */
  public boolean mayPublishData() {
    return canPublishData == null ? mayPublish() : canPublishData;
  }

  public boolean mayUpdateOwnMetadata() {
    return canUpdateOwnMetadata != null && canUpdateOwnMetadata;
  }

  public boolean maySubscribeMetrics() {
    return canSubscribeMetrics != null && canSubscribeMetrics;
  }

  /** Whether a track from {@code source} may be published. */
  public boolean mayPublish(Source source) {
    if (!mayPublish()) {
      return false;
    }
    if (canPublishSources.isEmpty()) {
      return true;
    }
    for (String s : canPublishSources) {
      if (s.equalsIgnoreCase(source.claimName())) {
        return true;
      }
    }
    return false;
  }

  /** The claim as LiveKit writes it: camelCase names, false and absent values left out. */
  Map<String, Object> toClaim() {
    Map<String, Object> m = new LinkedHashMap<>();
    flag(m, "roomCreate", roomCreate);
    flag(m, "roomList", roomList);
    flag(m, "roomRecord", roomRecord);
    flag(m, "roomAdmin", roomAdmin);
    flag(m, "roomJoin", roomJoin);
    if (!room.isEmpty()) {
      m.put("room", room);
    }
    optional(m, "canPublish", canPublish);
    optional(m, "canSubscribe", canSubscribe);
    optional(m, "canPublishData", canPublishData);
    if (!canPublishSources.isEmpty()) {
      m.put("canPublishSources", canPublishSources);
    }
    optional(m, "canUpdateOwnMetadata", canUpdateOwnMetadata);
    flag(m, "ingressAdmin", ingressAdmin);
    flag(m, "hidden", hidden);
    flag(m, "recorder", recorder);
    flag(m, "agent", agent);
    optional(m, "canSubscribeMetrics", canSubscribeMetrics);
    if (!destinationRoom.isEmpty()) {
      m.put("destinationRoom", destinationRoom);
    }
    return m;
  }

  /** Reads the claim; unknown fields are ignored, wrongly typed ones refused. */
  static VideoGrant fromClaim(Map<String, Object> m) throws TokenException {
    return new VideoGrant(
        bool(m, "roomCreate"),
        bool(m, "roomList"),
        bool(m, "roomRecord"),
        bool(m, "roomAdmin"),
        bool(m, "roomJoin"),
        string(m, "room"),
        optionalBool(m, "canPublish"),
        optionalBool(m, "canSubscribe"),
        optionalBool(m, "canPublishData"),
        strings(m, "canPublishSources"),
        optionalBool(m, "canUpdateOwnMetadata"),
        bool(m, "ingressAdmin"),
        bool(m, "hidden"),
        bool(m, "recorder"),
        bool(m, "agent"),
        optionalBool(m, "canSubscribeMetrics"),
        string(m, "destinationRoom"));
  }

  private static void flag(Map<String, Object> m, String name, boolean v) {
    if (v) {
      m.put(name, true);
    }
  }

  private static void optional(Map<String, Object> m, String name, Boolean v) {
    if (v != null) {
      m.put(name, v);
    }
  }

  private static boolean bool(Map<String, Object> m, String name) throws TokenException {
    Boolean b = optionalBool(m, name);
    return b != null && b;
  }

  private static Boolean optionalBool(Map<String, Object> m, String name) throws TokenException {
    Object v = m.get(name);
    if (v == null || v instanceof Boolean) {
      return (Boolean) v;
    }
    throw new TokenException("grant " + name + " is not a boolean");
  }

  private static String string(Map<String, Object> m, String name) throws TokenException {
    Object v = m.get(name);
    if (v == null || v instanceof String) {
      return (String) v;
    }
    throw new TokenException("grant " + name + " is not a string");
  }

  private static List<String> strings(Map<String, Object> m, String name) throws TokenException {
    Object v = m.get(name);
    if (v == null) {
      return List.of();
    }
    if (v instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
      return list.stream().map(String.class::cast).toList();
    }
    throw new TokenException("grant " + name + " is not a list of strings");
  }
}
