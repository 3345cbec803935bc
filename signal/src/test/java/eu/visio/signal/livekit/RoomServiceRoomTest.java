package eu.visio.signal.livekit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import livekit.LivekitRoom.CreateRoomRequest;
import livekit.LivekitRoom.MuteRoomTrackRequest;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/**
 * {@link RoomService#room}: the room a call acts on, which a cluster routes it by, read from a body
 * nobody has checked yet (the token is, the body is the home node's to judge).
 */
class RoomServiceRoomTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Example
  void theRoomOfEachKindOfCall() {
    // method, body (JSON), the room it names
    String[][] table = {
      {"ListParticipants", "{\"room\":\"a\"}", "a"},
      {"GetParticipant", "{\"room\":\"b\",\"identity\":\"x\"}", "b"},
      {"RemoveParticipant", "{\"room\":\"c\",\"identity\":\"x\"}", "c"},
      {"CreateRoom", "{\"name\":\"d\",\"max_participants\":4}", "d"},
      {"DeleteRoom", "{\"room\":\"e\"}", "e"},
      {"UpdateRoomMetadata", "{\"room\":\"f\",\"metadata\":\"m\"}", "f"},
      {"MutePublishedTrack", "{\"room\":\"g\",\"identity\":\"x\",\"trackSid\":\"TR_1\"}", "g"},
      {"UpdateParticipant", "{\"room\":\"h\",\"identity\":\"x\"}", "h"},
      {"UpdateSubscriptions", "{\"room\":\"i\",\"identity\":\"x\"}", "i"},
      {"SendData", "{\"room\":\"j\",\"data\":\"AQI=\"}", "j"},
      // No room: served where the call arrives.
      {"ListRooms", "{\"names\":[\"k\"]}", null},
      {"NoSuchMethod", "{\"room\":\"l\"}", null},
      {"ListParticipants", "{\"room\":", null},
    };
    for (String[] row : table) {
      assertThat(RoomService.room(row[0], utf8(row[1]), true))
          .as(row[0] + " " + row[1])
          .isEqualTo(row[2]);
    }
  }

  @Example
  void protobufBodiesToo() {
    assertThat(
            RoomService.room(
                "MutePublishedTrack",
                MuteRoomTrackRequest.newBuilder()
                    .setRoom("p")
                    .setTrackSid("TR_2")
                    .build()
                    .toByteArray(),
                false))
        .isEqualTo("p");
    assertThat(
            RoomService.room(
                "CreateRoom",
                CreateRoomRequest.newBuilder().setName("q").build().toByteArray(),
                false))
        .isEqualTo("q");
  }

  @Provide
  Arbitrary<String> methods() {
    return Arbitraries.of(
        "ListParticipants",
        "GetParticipant",
        "RemoveParticipant",
        "CreateRoom",
        "DeleteRoom",
        "UpdateRoomMetadata",
        "MutePublishedTrack",
        "UpdateParticipant",
        "UpdateSubscriptions",
        "SendData",
        "ListRooms");
  }

  @Property(tries = 2000)
  void anyBinaryBodyGivesARoomOrNoneNeverAnError(
      @ForAll("methods") String method, @ForAll @Size(max = 200) byte[] body) {
    String room = RoomService.room(method, body, false);
    assertThat(room == null || room.length() <= body.length).isTrue();
  }

  @Property(tries = 2000)
  void anyTextBodyGivesARoomOrNoneNeverAnError(
      @ForAll("methods") String method, @ForAll @StringLength(max = 200) String body) {
    RoomService.room(method, utf8(body), true);
  }

  @Property(tries = 500)
  void aRoomNamedInJsonIsTheRoomRead(
      @ForAll("methods") String method, @ForAll @StringLength(max = 50) String name) {
    String field = method.equals("CreateRoom") ? "name" : "room";
    String json =
        "{\"" + field + "\":\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
    String room = RoomService.room(method, utf8(json), true);
    if (method.equals("ListRooms")) {
      assertThat(room).isNull();
    } else if (room != null) { // control characters make the JSON invalid: no room then
      assertThat(room).isEqualTo(name);
    }
  }
}
