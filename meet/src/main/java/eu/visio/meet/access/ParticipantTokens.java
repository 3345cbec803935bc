package eu.visio.meet.access;

import eu.visio.signal.token.TokenIssuer;
import eu.visio.signal.token.VideoGrant;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The LiveKit access tokens the meeting service mints for admitted participants (and only them: the
 * caller has checked the room's access level and the lobby). Grants follow the role and the room's
 * settings, as La Suite Meet's do:
 *
 * <ul>
 *   <li>everyone joins and subscribes, and may send data (chat, reactions);
 *   <li>a participant publishes the sources the room allows, and nothing when it allows none: an
 *       empty source list would mean every source to LiveKit, so publishing is then denied;
 *   <li>a host (owner or administrator) gets {@code roomAdmin} and every source;
 *   <li>nobody may change their own metadata or attributes: raised hands and roles go through the
 *       service, so a client cannot promote itself.
 * </ul>
 *
 * <p>Attributes everyone's client reads: {@code room_role}, {@code is_authenticated} (guests are
 * marked) and {@code color}, a stable hue from the identity for tiles without video.
 */
public final class ParticipantTokens {
  /** How long a token lets its holder (re)join; as LiveKit's SDKs default to. */
  public static final Duration TTL = Duration.ofHours(6);

  /**
   * Who is let in, and with what.
   *
   * @param room the LiveKit room name of the meeting
   * @param identity a stable id: the signed-in user's, or a guest's
   * @param name the display name
   * @param role owner, administrator or member
   * @param host whether the role moderates (owner or administrator)
   * @param authenticated signed in, or a guest
   * @param sources what the room lets participants publish
   */
  public record Admission(
      String room,
      String identity,
      String name,
      String role,
      boolean host,
      boolean authenticated,
      Set<VideoGrant.Source> sources) {
    public Admission {
      sources = sources.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(sources));
    }
  }

  private final TokenIssuer issuer;

  public ParticipantTokens(TokenIssuer issuer) {
    this.issuer = issuer;
  }

  public String mint(Admission a) {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("room_role", a.role());
    attributes.put("is_authenticated", Boolean.toString(a.authenticated()));
    attributes.put("color", color(a.identity()));
    return issuer.issue(a.identity(), a.name(), null, attributes, grant(a), TTL);
  }

  /** The {@code video} grant for {@code a} (see the class comment). */
  static VideoGrant grant(Admission a) {
    Set<VideoGrant.Source> sources =
        a.host() ? EnumSet.allOf(VideoGrant.Source.class) : a.sources();
    List<String> names =
        sources.stream().sorted().map(s -> s.name().toLowerCase(Locale.ROOT)).toList();
    return VideoGrant.join(a.room())
        .withCanPublish(!names.isEmpty())
        .withSources(names)
        .withCanPublishData(true)
        .withAdmin(a.host(), false);
  }

  /**
   * What a participant may do once in the meeting, as the SFU holds it: the token's grant for a
   * role changed during the meeting (a promotion, or the room's sources narrowed by a host).
   */
  public static livekit.LivekitModels.ParticipantPermission permission(
      boolean host, Set<VideoGrant.Source> allowed) {
    Set<VideoGrant.Source> sources = host ? EnumSet.allOf(VideoGrant.Source.class) : allowed;
    livekit.LivekitModels.ParticipantPermission.Builder b =
        livekit.LivekitModels.ParticipantPermission.newBuilder()
            .setCanSubscribe(true)
            .setCanPublish(!sources.isEmpty())
            .setCanPublishData(true);
    for (VideoGrant.Source s : VideoGrant.Source.values()) {
      if (sources.contains(s)) {
        b.addCanPublishSources(livekit.LivekitModels.TrackSource.valueOf(s.name()));
      }
    }
    return b.build();
  }

  /** A stable hue for {@code identity}: HSL with the hue from its SHA-1 (as La Suite Meet). */
  static String color(String identity) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-1").digest(identity.getBytes(StandardCharsets.UTF_8));
      int hue = ((d[0] & 0xFF) << 8 | (d[1] & 0xFF)) % 360;
      return "hsl(" + hue + ", 45%, 50%)";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is always there", e);
    }
  }
}
