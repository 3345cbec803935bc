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
 * roomList}; acting on a room needs {@code roomAdmin} for that very room. Being built (issue 4):
 * ListRooms, ListParticipants, GetParticipant and RemoveParticipant so far.
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
          default -> throw new RoomServiceException("bad_route", 404, "no method " + method);
        };
    if (!json) {
      return response.toByteArray();
    }
    try {
      return JSON_OUT.print(response).getBytes(java.nio.charset.StandardCharsets.UTF_8);
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
