package eu.visio.signal.livekit;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import eu.visio.signal.token.AccessClaims;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitRoom.ListParticipantsRequest;
import livekit.LivekitRoom.ListParticipantsResponse;
import livekit.LivekitRoom.ListRoomsRequest;
import livekit.LivekitRoom.ListRoomsResponse;
import livekit.LivekitRoom.RemoveParticipantResponse;
import livekit.LivekitRoom.RoomParticipantIdentity;

/**
 * LiveKit's Room service (Twirp, {@code /twirp/livekit.RoomService/<Method>}), so that LiveKit's
 * server SDKs manage Visio rooms unchanged. Grants are enforced here: listing rooms needs {@code
 * roomList}; creating and deleting rooms needs {@code roomCreate}; acting on a room needs {@code
 * roomAdmin} for that very room.
 */
public final class RoomService {
  private static final JsonFormat.Parser JSON_IN = JsonFormat.parser().ignoringUnknownFields();
  private static final JsonFormat.Printer JSON_OUT = JsonFormat.printer();

  private final LiveKitRooms rooms;

  public RoomService(LiveKitRooms rooms) {
    this.rooms = rooms;
  }

  /**
   * Calls {@code method} with a request body in protobuf ({@code json} false) or protobuf JSON;
   * returns the response in the same encoding.
   */
  public byte[] call(String method, AccessClaims claims, byte[] body, boolean json)
      throws RoomServiceException {
    Message response =
        switch (method) {
          case "ListRooms" -> {
            ListRoomsRequest r = parse(ListRoomsRequest.newBuilder(), body, json).build();
            if (!claims.video().roomList()) {
              throw denied("listing rooms needs the roomList grant");
            }
            ListRoomsResponse.Builder b = ListRoomsResponse.newBuilder();
            for (livekit.LivekitModels.Room room : rooms.rooms()) {
              if (r.getNamesCount() == 0 || r.getNamesList().contains(room.getName())) {
                b.addRooms(room);
              }
            }
            yield b.build();
          }
          case "ListParticipants" -> {
            ListParticipantsRequest r =
                parse(ListParticipantsRequest.newBuilder(), body, json).build();
            admin(claims, r.getRoom());
            yield ListParticipantsResponse.newBuilder()
                .addAllParticipants(rooms.participants(r.getRoom()))
                .build();
          }
          case "GetParticipant" -> {
            RoomParticipantIdentity r =
                parse(RoomParticipantIdentity.newBuilder(), body, json).build();
            admin(claims, r.getRoom());
            yield participant(r);
          }
          case "RemoveParticipant" -> {
            RoomParticipantIdentity r =
                parse(RoomParticipantIdentity.newBuilder(), body, json).build();
            admin(claims, r.getRoom());
            if (!rooms.remove(r.getRoom(), r.getIdentity())) {
              throw notFound();
            }
            yield RemoveParticipantResponse.getDefaultInstance();
          }
          case "CreateRoom" -> {
            var r = parse(livekit.LivekitRoom.CreateRoomRequest.newBuilder(), body, json).build();
            if (!claims.video().roomCreate()) {
              throw denied("creating rooms needs the roomCreate grant");
            }
            if (r.getName().isEmpty() || r.getName().length() > 256) {
              throw new RoomServiceException("invalid_argument", 400, "a room needs a name");
            }
            var room = rooms.create(r);
            if (room == null) {
              throw new RoomServiceException("internal", 500, "the room could not be created");
            }
            yield room;
          }
          case "DeleteRoom" -> {
            var r = parse(livekit.LivekitRoom.DeleteRoomRequest.newBuilder(), body, json).build();
            if (!claims.video().roomCreate()) {
              throw denied("deleting rooms needs the roomCreate grant");
            }
            rooms.delete(r.getRoom()); // deleting a room that is not there is not an error
            yield livekit.LivekitRoom.DeleteRoomResponse.getDefaultInstance();
          }
          case "UpdateRoomMetadata" -> {
            var r =
                parse(livekit.LivekitRoom.UpdateRoomMetadataRequest.newBuilder(), body, json)
                    .build();
            admin(claims, r.getRoom());
            checkMetadata(r.getMetadata());
            var room = rooms.updateMetadata(r.getRoom(), r.getMetadata());
            if (room == null) {
              throw new RoomServiceException("not_found", 404, "room not found");
            }
            yield room;
          }
          case "MutePublishedTrack" -> {
            var r =
                parse(livekit.LivekitRoom.MuteRoomTrackRequest.newBuilder(), body, json).build();
            admin(claims, r.getRoom());
            var track =
                rooms.onParticipant(
                    r.getRoom(), r.getIdentity(), p -> p.mute(r.getTrackSid(), r.getMuted()));
            if (track == null) {
              throw new RoomServiceException("not_found", 404, "track not found");
            }
            yield livekit.LivekitRoom.MuteRoomTrackResponse.newBuilder().setTrack(track).build();
          }
          case "UpdateParticipant" -> {
            var r =
                parse(livekit.LivekitRoom.UpdateParticipantRequest.newBuilder(), body, json)
                    .build();
            admin(claims, r.getRoom());
            checkMetadata(r.getMetadata());
            ParticipantInfo p = rooms.onParticipant(r.getRoom(), r.getIdentity(), x -> x.update(r));
            if (p == null) {
              throw notFound();
            }
            yield p;
          }
          case "UpdateSubscriptions" -> {
            var r =
                parse(livekit.LivekitRoom.UpdateSubscriptionsRequest.newBuilder(), body, json)
                    .build();
            admin(claims, r.getRoom());
            var u =
                livekit.LivekitRtc.UpdateSubscription.newBuilder()
                    .addAllTrackSids(r.getTrackSidsList())
                    .addAllParticipantTracks(r.getParticipantTracksList())
                    .setSubscribe(r.getSubscribe())
                    .build();
            Boolean done =
                rooms.onParticipant(
                    r.getRoom(),
                    r.getIdentity(),
                    x -> {
                      x.updateSubscriptions(u);
                      return true;
                    });
            if (done == null) {
              throw notFound();
            }
            yield livekit.LivekitRoom.UpdateSubscriptionsResponse.getDefaultInstance();
          }
          case "SendData" -> {
            var r = parse(livekit.LivekitRoom.SendDataRequest.newBuilder(), body, json).build();
            admin(claims, r.getRoom());
            if (r.getData().size() > 64 * 1024) {
              throw new RoomServiceException("invalid_argument", 400, "data over 64 KiB");
            }
            if (!r.getNonce().isEmpty() && r.getNonce().size() != 16) {
              // a UUID, by which a retried request is delivered once (as livekit-server)
              throw new RoomServiceException("invalid_argument", 400, "nonce is not 16 bytes");
            }
            if (rooms.sendData(r) == null) {
              throw new RoomServiceException("not_found", 404, "room not found");
            }
            yield livekit.LivekitRoom.SendDataResponse.getDefaultInstance();
          }
          default -> throw new RoomServiceException("bad_route", 404, "no method " + method);
        };
    return encode(response, json);
  }

  /**
   * The room a call acts on, read from its body (CreateRoom: the room it names); null for a call on
   * no room (ListRooms), an unknown method or a body that does not parse (answered where it
   * arrives). A cluster serves a call on a room where the room lives.
   */
  public static String room(String method, byte[] body, boolean json) {
    try {
      return switch (method) {
        case "ListParticipants" ->
            parse(ListParticipantsRequest.newBuilder(), body, json).getRoom();
        case "GetParticipant", "RemoveParticipant" ->
            parse(RoomParticipantIdentity.newBuilder(), body, json).getRoom();
        case "CreateRoom" ->
            parse(livekit.LivekitRoom.CreateRoomRequest.newBuilder(), body, json).getName();
        case "DeleteRoom" ->
            parse(livekit.LivekitRoom.DeleteRoomRequest.newBuilder(), body, json).getRoom();
        case "UpdateRoomMetadata" ->
            parse(livekit.LivekitRoom.UpdateRoomMetadataRequest.newBuilder(), body, json).getRoom();
        case "MutePublishedTrack" ->
            parse(livekit.LivekitRoom.MuteRoomTrackRequest.newBuilder(), body, json).getRoom();
        case "UpdateParticipant" ->
            parse(livekit.LivekitRoom.UpdateParticipantRequest.newBuilder(), body, json).getRoom();
        case "UpdateSubscriptions" ->
            parse(livekit.LivekitRoom.UpdateSubscriptionsRequest.newBuilder(), body, json)
                .getRoom();
        case "SendData" ->
            parse(livekit.LivekitRoom.SendDataRequest.newBuilder(), body, json).getRoom();
        default -> null;
      };
    } catch (RoomServiceException e) {
      return null;
    }
  }

  /**
   * The node serving the participant a call acts on (RemoveParticipant, MutePublishedTrack,
   * UpdateParticipant, UpdateSubscriptions), when that is another node of a cascaded room: the call
   * must be served there. Null when the participant is here, unknown, or the call names none.
   */
  public String servedElsewhere(String method, byte[] body, boolean json) {
    try {
      String[] target =
          switch (method) {
            case "RemoveParticipant" -> {
              var r = parse(RoomParticipantIdentity.newBuilder(), body, json);
              yield new String[] {r.getRoom(), r.getIdentity()};
            }
            case "MutePublishedTrack" -> {
              var r = parse(livekit.LivekitRoom.MuteRoomTrackRequest.newBuilder(), body, json);
              yield new String[] {r.getRoom(), r.getIdentity()};
            }
            case "UpdateParticipant" -> {
              var r = parse(livekit.LivekitRoom.UpdateParticipantRequest.newBuilder(), body, json);
              yield new String[] {r.getRoom(), r.getIdentity()};
            }
            case "UpdateSubscriptions" -> {
              var r =
                  parse(livekit.LivekitRoom.UpdateSubscriptionsRequest.newBuilder(), body, json);
              yield new String[] {r.getRoom(), r.getIdentity()};
            }
            default -> null;
          };
      return target == null ? null : rooms.servedElsewhere(target[0], target[1]);
    } catch (RoomServiceException e) {
      return null; // answered here, with the parse error
    }
  }

  /** {@code message} in the Room service's encoding: protobuf, or protobuf JSON. */
  public static byte[] encode(Message message, boolean json) {
    if (!json) {
      return message.toByteArray();
    }
    try {
      return JSON_OUT.print(message).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  private ParticipantInfo participant(RoomParticipantIdentity r) throws RoomServiceException {
    for (ParticipantInfo p : rooms.participants(r.getRoom())) {
      if (p.getIdentity().equals(r.getIdentity())) {
        return p;
      }
    }
    throw notFound();
  }

  private static void admin(AccessClaims claims, String room) throws RoomServiceException {
    if (!claims.video().roomAdmin() || !claims.video().room().equals(room)) {
      throw denied("this needs the roomAdmin grant for room " + room);
    }
  }

  private static void checkMetadata(String metadata) throws RoomServiceException {
    if (metadata.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
        > ParticipantState.MAX_METADATA_BYTES) {
      throw new RoomServiceException("invalid_argument", 400, "metadata is over 64,000 bytes");
    }
  }

  private static RoomServiceException denied(String message) {
    return new RoomServiceException("permission_denied", 403, message);
  }

  private static RoomServiceException notFound() {
    return new RoomServiceException("not_found", 404, "participant not found");
  }

  private static <B extends Message.Builder> B parse(B builder, byte[] body, boolean json)
      throws RoomServiceException {
    try {
      if (json) {
        JSON_IN.merge(new String(body, java.nio.charset.StandardCharsets.UTF_8), builder);
      } else {
        builder.mergeFrom(body);
      }
      return builder;
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new RoomServiceException("malformed", 400, "the request body does not parse");
    }
  }
}
