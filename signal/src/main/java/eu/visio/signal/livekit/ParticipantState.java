package eu.visio.signal.livekit;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.TrackInfo;
import livekit.LivekitModels.TrackSource;
import livekit.LivekitRtc.AddTrackRequest;
import livekit.LivekitRtc.RequestResponse;
import livekit.LivekitRtc.SignalResponse;
import livekit.LivekitRtc.UpdateParticipantMetadata;

/**
 * A participant's {@code ParticipantInfo} as the room sees it, and the token-granted rules on
 * changing it: every change bumps its version, so clients can order updates.
 */
final class ParticipantState {
  /** Largest metadata plus attributes a participant may set, in bytes (LiveKit's default). */
  static final int MAX_METADATA_BYTES = 64_000;

  private ParticipantInfo info;

  ParticipantState(ParticipantInfo info) {
    this.info = info;
  }

  ParticipantInfo info() {
    return info;
  }

  void setTracks(List<TrackInfo> tracks) {
    info =
        info.toBuilder()
            .clearTracks()
            .addAllTracks(tracks)
            .setVersion(info.getVersion() + 1)
            .build();
  }

  /** Why the token forbids publishing {@code add}, or null when it may. */
  String publishRefusal(AddTrackRequest add) {
    var permission = info.getPermission();
    if (!permission.getCanPublish()) {
      return "the token does not grant canPublish";
    }
    List<TrackSource> allowed = permission.getCanPublishSourcesList();
    if (!allowed.isEmpty() && !allowed.contains(add.getSource())) {
      return "the token's canPublishSources does not include " + add.getSource();
    }
    if (add.getCid().isEmpty()) {
      return "the request has no cid";
    }
    return null;
  }

  /**
   * A participant changing its own name, metadata or attributes: only with {@code
   * canUpdateOwnMetadata} in its token, within {@link #MAX_METADATA_BYTES}; attributes merge, an
   * empty value removing its key. The request is answered through {@code reply}; returns whether
   * the info changed (the room then tells everyone, the sender included).
   */
  boolean updateMetadata(UpdateParticipantMetadata u, Consumer<SignalResponse> reply) {
    RequestResponse.Builder answer =
        RequestResponse.newBuilder().setRequestId(u.getRequestId()).setUpdateMetadata(u);
    if (!info.getPermission().getCanUpdateMetadata()) {
      reply.accept(respond(answer.setReason(RequestResponse.Reason.NOT_ALLOWED)));
      return false;
    }
    Map<String, String> attributes = new TreeMap<>(info.getAttributesMap());
    u.getAttributesMap()
        .forEach(
            (k, v) -> {
              if (v.isEmpty()) {
                attributes.remove(k);
              } else {
                attributes.put(k, v);
              }
            });
    String metadata = u.getMetadata().isEmpty() ? info.getMetadata() : u.getMetadata();
    String name = u.getName().isEmpty() ? info.getName() : u.getName();
    long size = utf8(metadata) + utf8(name);
    for (Map.Entry<String, String> e : attributes.entrySet()) {
      size += utf8(e.getKey()) + utf8(e.getValue());
    }
    if (size > MAX_METADATA_BYTES) {
      reply.accept(respond(answer.setReason(RequestResponse.Reason.LIMIT_EXCEEDED)));
      return false;
    }
    info =
        info.toBuilder()
            .setMetadata(metadata)
            .setName(name)
            .clearAttributes()
            .putAllAttributes(attributes)
            .setVersion(info.getVersion() + 1)
            .build();
    reply.accept(respond(answer.setReason(RequestResponse.Reason.OK)));
    return true;
  }

  /** An administrator's change (the Room service): applied as given, without limits on grants. */
  void updateByAdmin(livekit.LivekitRoom.UpdateParticipantRequest u) {
    ParticipantInfo.Builder b = info.toBuilder().setVersion(info.getVersion() + 1);
    if (!u.getName().isEmpty()) {
      b.setName(u.getName());
    }
    if (!u.getMetadata().isEmpty()) {
      b.setMetadata(u.getMetadata());
    }
    if (u.hasPermission()) {
      b.setPermission(u.getPermission());
    }
    u.getAttributesMap()
        .forEach(
            (k, v) -> {
              if (v.isEmpty()) {
                b.removeAttributes(k);
              } else {
                b.putAttributes(k, v);
              }
            });
    info = b.build();
  }

  private static long utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static SignalResponse respond(RequestResponse.Builder r) {
    return SignalResponse.newBuilder().setRequestResponse(r).build();
  }
}
