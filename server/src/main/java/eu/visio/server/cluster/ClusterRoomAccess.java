package eu.visio.server.cluster;

import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import eu.visio.meet.moderation.RoomAccess;
import eu.visio.signal.livekit.RoomServiceException;
import java.util.List;
import java.util.Optional;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.TrackInfo;
import livekit.LivekitRoom.CreateRoomRequest;
import livekit.LivekitRoom.DeleteRoomRequest;
import livekit.LivekitRoom.DeleteRoomResponse;
import livekit.LivekitRoom.ListParticipantsRequest;
import livekit.LivekitRoom.ListParticipantsResponse;
import livekit.LivekitRoom.ListRoomsRequest;
import livekit.LivekitRoom.ListRoomsResponse;
import livekit.LivekitRoom.MuteRoomTrackRequest;
import livekit.LivekitRoom.MuteRoomTrackResponse;
import livekit.LivekitRoom.RemoveParticipantResponse;
import livekit.LivekitRoom.RoomParticipantIdentity;
import livekit.LivekitRoom.UpdateParticipantRequest;

/**
 * The meeting service's rooms in a cluster: each call goes where its room lives, this node's rooms
 * directly, another node's through its Room service ({@link RoomServiceForwarder#call}). A room's
 * absence (Twirp {@code not_found}) reads as it does here (empty, false); any other refusal, or a
 * home node that cannot be reached, is a {@link RoomAccess.UnavailableException}, and Redis
 * unreachable a {@link eu.visio.signal.cluster.ClusterUnavailableException}.
 */
public final class ClusterRoomAccess implements RoomAccess {
  private final RoomAccess here;
  private final RoomServiceForwarder cluster;

  public ClusterRoomAccess(RoomAccess here, RoomServiceForwarder cluster) {
    this.here = here;
    this.cluster = cluster;
  }

  @Override
  public List<ParticipantInfo> participants(String room) {
    if (!(cluster.route("ListParticipants", room) instanceof RoomServiceForwarder.There t)) {
      return here.participants(room);
    }
    return remote(
            t,
            "ListParticipants",
            room,
            ListParticipantsRequest.newBuilder().setRoom(room).build(),
            ListParticipantsResponse.parser())
        .map(ListParticipantsResponse::getParticipantsList)
        .orElse(List.of());
  }

  @Override
  public Optional<ParticipantInfo> participant(String room, String identity) {
    if (!(cluster.route("GetParticipant", room) instanceof RoomServiceForwarder.There t)) {
      return here.participant(room, identity);
    }
    return remote(
        t,
        "GetParticipant",
        room,
        RoomParticipantIdentity.newBuilder().setRoom(room).setIdentity(identity).build(),
        ParticipantInfo.parser());
  }

  @Override
  public boolean remove(String room, String identity) {
    if (!(cluster.route("RemoveParticipant", room) instanceof RoomServiceForwarder.There t)) {
      return here.remove(room, identity);
    }
    return remote(
            t,
            "RemoveParticipant",
            room,
            RoomParticipantIdentity.newBuilder().setRoom(room).setIdentity(identity).build(),
            RemoveParticipantResponse.parser())
        .isPresent();
  }

  @Override
  public Optional<TrackInfo> mute(String room, String identity, String trackSid, boolean muted) {
    if (!(cluster.route("MutePublishedTrack", room) instanceof RoomServiceForwarder.There t)) {
      return here.mute(room, identity, trackSid, muted);
    }
    return remote(
            t,
            "MutePublishedTrack",
            room,
            MuteRoomTrackRequest.newBuilder()
                .setRoom(room)
                .setIdentity(identity)
                .setTrackSid(trackSid)
                .setMuted(muted)
                .build(),
            MuteRoomTrackResponse.parser())
        .map(MuteRoomTrackResponse::getTrack);
  }

  @Override
  public Optional<ParticipantInfo> update(UpdateParticipantRequest u) {
    if (!(cluster.route("UpdateParticipant", u.getRoom())
        instanceof RoomServiceForwarder.There t)) {
      return here.update(u);
    }
    return remote(t, "UpdateParticipant", u.getRoom(), u, ParticipantInfo.parser());
  }

  @Override
  public void create(CreateRoomRequest r) {
    // Placed now if it lives nowhere: the joins this opening precedes then find it placed.
    if (!(cluster.route("CreateRoom", r.getName()) instanceof RoomServiceForwarder.There t)) {
      here.create(r);
      return;
    }
    remote(t, "CreateRoom", r.getName(), r, livekit.LivekitModels.Room.parser());
  }

  @Override
  public boolean delete(String room) {
    if (!(cluster.route("DeleteRoom", room) instanceof RoomServiceForwarder.There t)) {
      return here.delete(room);
    }
    boolean running = runningOn(t, room);
    remote(
        t,
        "DeleteRoom",
        room,
        DeleteRoomRequest.newBuilder().setRoom(room).build(),
        DeleteRoomResponse.parser());
    return running;
  }

  @Override
  public boolean running(String room) {
    if (!(cluster.route("ListRooms", room) instanceof RoomServiceForwarder.There t)) {
      return here.running(room);
    }
    return runningOn(t, room);
  }

  private boolean runningOn(RoomServiceForwarder.There t, String room) {
    // Forwarded, ListRooms is the home node's own list.
    return remote(
            t,
            "ListRooms",
            room,
            ListRoomsRequest.newBuilder().addNames(room).build(),
            ListRoomsResponse.parser())
        .map(r -> r.getRoomsCount() > 0)
        .orElse(false);
  }

  /** The home node's answer; empty when it said {@code not_found}. */
  private <T extends Message> Optional<T> remote(
      RoomServiceForwarder.There t, String method, String room, Message request, Parser<T> parser) {
    try {
      return Optional.of(cluster.call(t.node(), method, room, request, parser));
    } catch (RoomServiceException e) {
      if (e.status() == 404) {
        return Optional.empty();
      }
      throw new UnavailableException(
          method + " on " + room + " at node " + t.node().id() + ": " + e.getMessage(), e);
    }
  }
}
