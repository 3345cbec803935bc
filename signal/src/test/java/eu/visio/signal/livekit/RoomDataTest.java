package eu.visio.signal.livekit;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import livekit.LivekitModels.ChatMessage;
import livekit.LivekitModels.DataPacket;
import livekit.LivekitModels.DataStream;
import livekit.LivekitModels.EncryptedPacket;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.ParticipantPermission;
import livekit.LivekitModels.RpcAck;
import livekit.LivekitModels.RpcError;
import livekit.LivekitModels.RpcRequest;
import livekit.LivekitModels.RpcResponse;
import livekit.LivekitModels.SipDTMF;
import livekit.LivekitModels.Transcription;
import livekit.LivekitModels.UserPacket;
import livekit.LivekitRoom.SendDataRequest;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The relay rules of {@link RoomData}, as livekit-server applies them: who gets a packet, what is
 * stamped on it, what is not relayed. A room of ana (the sender), bea and cid.
 */
class RoomDataTest {
  /** A participant that records what it is sent. */
  static final class Fake implements RoomData.Member {
    final ParticipantInfo info;
    final ReliableSequence seq = new ReliableSequence();
    final List<String> labels = new ArrayList<>();
    final List<DataPacket> got = new ArrayList<>();

    Fake(ParticipantInfo info) {
      this.info = info;
    }

    @Override
    public String identity() {
      return info.getIdentity();
    }

    @Override
    public String sid() {
      return info.getSid();
    }

    @Override
    public ParticipantInfo info() {
      return info;
    }

    @Override
    public ReliableSequence reliableReceived() {
      return seq;
    }

    @Override
    public boolean sendData(String label, byte[] packet) {
      labels.add(label);
      try {
        got.add(DataPacket.parseFrom(packet));
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new AssertionError(e);
      }
      return true;
    }
  }

  static ParticipantInfo info(
      String identity, boolean canPublishData, boolean hidden, boolean agent) {
    return ParticipantInfo.newBuilder()
        .setIdentity(identity)
        .setSid("PA_" + identity)
        .setKind(agent ? ParticipantInfo.Kind.AGENT : ParticipantInfo.Kind.STANDARD)
        .setPermission(
            ParticipantPermission.newBuilder().setCanPublishData(canPublishData).setHidden(hidden))
        .build();
  }

  static final ParticipantInfo ANA = info("ana", true, false, false);
  static final ParticipantInfo HIDDEN = info("ana", true, true, false);
  static final ParticipantInfo AGENT = info("ana", true, false, true);
  static final ParticipantInfo MUTE = info("ana", false, false, false);

  final SignalDrops drops = new SignalDrops();
  final RoomData data = new RoomData(drops);
  final Map<String, Fake> room = new LinkedHashMap<>();

  Fake join(ParticipantInfo info) {
    Fake f = new Fake(info);
    room.put(info.getIdentity(), f);
    return f;
  }

  static DataPacket.Builder user(String payload) {
    return DataPacket.newBuilder()
        .setUser(
            UserPacket.newBuilder()
                .setPayload(ByteString.copyFromUtf8(payload))
                .setParticipantIdentity("mallory") // what a lying client puts there
                .setTopic("t"));
  }

  /** The sender's identity and sid on the packet, as every relayed kind carries them. */
  static DataPacket.Builder fromAna(DataPacket.Builder b, DataPacket.Kind kind) {
    return b.setKind(kind).setParticipantIdentity("ana").setParticipantSid("PA_ana");
  }

  static final DataPacket.Kind R = DataPacket.Kind.RELIABLE;

  static Arguments row(
      String name, ParticipantInfo sender, String label, DataPacket in, String to, DataPacket out) {
    return Arguments.of(name, sender, label, in, to, out);
  }

  static Stream<Arguments> rules() {
    DataPacket rpc =
        DataPacket.newBuilder()
            .addDestinationIdentities("bea")
            .setRpcRequest(RpcRequest.newBuilder().setId("r1").setMethod("add").setPayload("1"))
            .build();
    DataPacket chat =
        DataPacket.newBuilder()
            .setParticipantIdentity("someone")
            .setChatMessage(ChatMessage.newBuilder().setId("c1").setMessage("hi"))
            .build();
    DataPacket textHeader =
        DataPacket.newBuilder()
            .setParticipantIdentity("someone")
            .setStreamHeader(
                DataStream.Header.newBuilder()
                    .setStreamId("s1")
                    .setTopic("lk.chat")
                    .setTextHeader(DataStream.TextHeader.getDefaultInstance()))
            .build();
    DataPacket byteHeader =
        DataPacket.newBuilder()
            .setParticipantIdentity("someone")
            .setStreamHeader(
                DataStream.Header.newBuilder()
                    .setStreamId("s2")
                    .setByteHeader(DataStream.ByteHeader.newBuilder().setName("f.bin")))
            .build();
    DataPacket transcription =
        DataPacket.newBuilder()
            .setTranscription(Transcription.newBuilder().setTrackId("TR_1"))
            .build();
    return Stream.of(
        row(
            "a user packet goes to everyone else, stamped outside and in (the claimed identity"
                + " replaced)",
            ANA,
            "_reliable",
            user("x").build(),
            "bea,cid",
            fromAna(user("x"), R)
                .setUser(
                    user("x")
                        .getUserBuilder()
                        .setParticipantIdentity("ana")
                        .setParticipantSid("PA_ana"))
                .build()),
        row(
            "the kind is the channel's, whatever the packet says",
            ANA,
            "_lossy",
            user("x").setKind(R).build(),
            "bea,cid",
            fromAna(user("x"), DataPacket.Kind.LOSSY)
                .setUser(
                    user("x")
                        .getUserBuilder()
                        .setParticipantIdentity("ana")
                        .setParticipantSid("PA_ana"))
                .build()),
        row(
            "destinations named in the user packet only are copied to the packet",
            ANA,
            "_reliable",
            user("x").setUser(user("x").getUserBuilder().addDestinationIdentities("cid")).build(),
            "cid",
            fromAna(user("x"), R)
                .addDestinationIdentities("cid")
                .setUser(
                    user("x")
                        .getUserBuilder()
                        .addDestinationIdentities("cid")
                        .setParticipantIdentity("ana")
                        .setParticipantSid("PA_ana"))
                .build()),
        row(
            "the packet's destinations win over the user packet's",
            ANA,
            "_reliable",
            user("x")
                .addDestinationIdentities("bea")
                .setUser(user("x").getUserBuilder().addDestinationIdentities("cid"))
                .build(),
            "bea",
            fromAna(user("x"), R)
                .addDestinationIdentities("bea")
                .setUser(
                    user("x")
                        .getUserBuilder()
                        .addDestinationIdentities("bea")
                        .setParticipantIdentity("ana")
                        .setParticipantSid("PA_ana"))
                .build()),
        row(
            "a user packet may name its receivers by sid",
            ANA,
            "_reliable",
            user("x").setUser(user("x").getUserBuilder().addDestinationSids("PA_bea")).build(),
            "bea",
            fromAna(user("x"), R)
                .setUser(
                    user("x")
                        .getUserBuilder()
                        .addDestinationSids("PA_bea")
                        .setParticipantIdentity("ana")
                        .setParticipantSid("PA_ana"))
                .build()),
        row(
            "a hidden sender's identity is blank, its sid stays on the packet (sequence checks)",
            HIDDEN,
            "_reliable",
            user("x").build(),
            "bea,cid",
            user("x")
                .setKind(R)
                .setParticipantSid("PA_ana")
                .setUser(user("x").getUserBuilder().setParticipantIdentity(""))
                .build()),
        row(
            "an RPC request goes to its destination",
            ANA,
            "_reliable",
            rpc,
            "bea",
            fromAna(rpc.toBuilder(), R).build()),
        row(
            "RPC ack, response and error, stream chunk and trailer, encrypted, DTMF, and kinds"
                + " newer than ours are relayed stamped (one row each below)",
            ANA,
            "_reliable",
            DataPacket.newBuilder().setRpcAck(RpcAck.newBuilder().setRequestId("r1")).build(),
            "bea,cid",
            fromAna(DataPacket.newBuilder().setRpcAck(RpcAck.newBuilder().setRequestId("r1")), R)
                .build()),
        row(
            "RPC response",
            ANA,
            "_reliable",
            DataPacket.newBuilder()
                .setRpcResponse(RpcResponse.newBuilder().setRequestId("r1").setPayload("2"))
                .build(),
            "bea,cid",
            fromAna(
                    DataPacket.newBuilder()
                        .setRpcResponse(
                            RpcResponse.newBuilder().setRequestId("r1").setPayload("2")),
                    R)
                .build()),
        row(
            "RPC error",
            ANA,
            "_reliable",
            DataPacket.newBuilder()
                .setRpcResponse(
                    RpcResponse.newBuilder()
                        .setRequestId("r1")
                        .setError(RpcError.newBuilder().setCode(1500).setMessage("no")))
                .build(),
            "bea,cid",
            fromAna(
                    DataPacket.newBuilder()
                        .setRpcResponse(
                            RpcResponse.newBuilder()
                                .setRequestId("r1")
                                .setError(RpcError.newBuilder().setCode(1500).setMessage("no"))),
                    R)
                .build()),
        row(
            "stream chunk",
            ANA,
            "_reliable",
            DataPacket.newBuilder()
                .setStreamChunk(
                    DataStream.Chunk.newBuilder()
                        .setStreamId("s1")
                        .setContent(ByteString.copyFromUtf8("abc")))
                .build(),
            "bea,cid",
            fromAna(
                    DataPacket.newBuilder()
                        .setStreamChunk(
                            DataStream.Chunk.newBuilder()
                                .setStreamId("s1")
                                .setContent(ByteString.copyFromUtf8("abc"))),
                    R)
                .build()),
        row(
            "stream trailer",
            ANA,
            "_reliable",
            DataPacket.newBuilder()
                .setStreamTrailer(DataStream.Trailer.newBuilder().setStreamId("s1"))
                .build(),
            "bea,cid",
            fromAna(
                    DataPacket.newBuilder()
                        .setStreamTrailer(DataStream.Trailer.newBuilder().setStreamId("s1")),
                    R)
                .build()),
        row(
            "encrypted packet",
            ANA,
            "_reliable",
            DataPacket.newBuilder()
                .setEncryptedPacket(
                    EncryptedPacket.newBuilder().setEncryptedValue(ByteString.copyFromUtf8("?")))
                .build(),
            "bea,cid",
            fromAna(
                    DataPacket.newBuilder()
                        .setEncryptedPacket(
                            EncryptedPacket.newBuilder()
                                .setEncryptedValue(ByteString.copyFromUtf8("?"))),
                    R)
                .build()),
        row(
            "SIP DTMF",
            ANA,
            "_reliable",
            DataPacket.newBuilder().setSipDtmf(SipDTMF.newBuilder().setDigit("5")).build(),
            "bea,cid",
            fromAna(DataPacket.newBuilder().setSipDtmf(SipDTMF.newBuilder().setDigit("5")), R)
                .build()),
        row(
            "a kind newer than ours (an empty oneof to us)",
            ANA,
            "_reliable",
            DataPacket.getDefaultInstance(),
            "bea,cid",
            fromAna(DataPacket.newBuilder(), R).build()),
        row(
            "a chat message from a participant claiming another identity is stamped with its own",
            ANA,
            "_reliable",
            chat,
            "bea,cid",
            fromAna(chat.toBuilder(), R).build()),
        row(
            "an agent may send a chat message for another identity: kept, marked generated",
            AGENT,
            "_reliable",
            chat,
            "bea,cid",
            chat.toBuilder()
                .setKind(R)
                .setParticipantSid("PA_ana")
                .setChatMessage(chat.getChatMessage().toBuilder().setGenerated(true))
                .build()),
        row(
            "an agent may send a text stream for another identity: kept, marked generated",
            AGENT,
            "_reliable",
            textHeader,
            "bea,cid",
            textHeader.toBuilder()
                .setKind(R)
                .setParticipantSid("PA_ana")
                .setStreamHeader(
                    textHeader.getStreamHeader().toBuilder()
                        .setTextHeader(DataStream.TextHeader.newBuilder().setGenerated(true)))
                .build()),
        row(
            "but not a byte stream",
            AGENT,
            "_reliable",
            byteHeader,
            "bea,cid",
            fromAna(byteHeader.toBuilder(), R).build()),
        row(
            "a transcription from an agent is relayed",
            AGENT,
            "_reliable",
            transcription,
            "bea,cid",
            fromAna(transcription.toBuilder(), R).build()),
        row("a transcription from anyone else is not", ANA, "_reliable", transcription, "", null),
        row(
            "metrics are not relayed",
            ANA,
            "_reliable",
            DataPacket.newBuilder()
                .setMetrics(livekit.LivekitMetrics.MetricsBatch.getDefaultInstance())
                .build(),
            "",
            null),
        row(
            "nothing from a participant without canPublishData",
            MUTE,
            "_reliable",
            user("x").build(),
            "",
            null),
        row(
            "nothing from a channel other than _reliable and _lossy",
            ANA,
            "_data_track",
            user("x").build(),
            "",
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void relay(
      String name, ParticipantInfo sender, String label, DataPacket in, String to, DataPacket out) {
    Fake ana = join(sender);
    join(info("bea", true, false, false));
    join(info("cid", true, false, false));
    data.relay(ana, label, in.toByteArray(), room.values());
    for (Fake f : room.values()) {
      boolean receives = f != ana && List.of(to.split(",")).contains(f.identity());
      if (receives) {
        assertThat(f.got).as(f.identity()).containsExactly(out);
        assertThat(f.labels).as("on the channel it came on").containsExactly(label);
      } else {
        assertThat(f.got).as(f.identity()).isEmpty();
      }
    }
  }

  @Test
  void aParticipantWithoutCanPublishDataAndGarbageAreCountedAsDrops() {
    Fake mute = join(MUTE);
    join(info("bea", true, false, false));
    data.relay(mute, "_reliable", user("x").build().toByteArray(), room.values());
    Fake ana = join(info("eve", true, false, false));
    data.relay(ana, "_reliable", new byte[] {(byte) 0xff, 0x01}, room.values());
    assertThat(drops.get(SignalDrops.Reason.DATA_NOT_ALLOWED)).isEqualTo(1);
    assertThat(drops.get(SignalDrops.Reason.MALFORMED)).isEqualTo(1);
    assertThat(room.get("bea").got).isEmpty();
  }

  static byte[] numbered(int seq, String text) {
    return user(text).setSequence(seq).build().toByteArray();
  }

  static List<String> texts(Fake f) {
    return f.got.stream().map(p -> p.getUser().getPayload().toStringUtf8()).toList();
  }

  /**
   * After a resume livekit-client re-sends its reliable packets above the last sequence we said we
   * had; those that had reached us before are not relayed twice, and the sequence goes out
   * unchanged so receivers can check it too. Lossy packets are not numbered.
   */
  @Test
  void aReliablePacketReplayedAfterAResumeIsRelayedOnce() {
    Fake ana = join(ANA);
    Fake bea = join(info("bea", true, false, false));
    data.relay(ana, "_reliable", numbered(1, "one"), room.values());
    data.relay(ana, "_reliable", numbered(2, "two"), room.values());
    assertThat(ana.seq.last()).as("what ReconnectResponse.last_message_seq says").isEqualTo(2);
    data.relay(ana, "_reliable", numbered(2, "two"), room.values()); // the client's replay
    data.relay(ana, "_reliable", numbered(3, "three"), room.values());
    data.relay(ana, "_reliable", numbered(0, "unnumbered"), room.values());
    data.relay(ana, "_lossy", numbered(1, "lossy"), room.values());
    assertThat(texts(bea)).containsExactly("one", "two", "three", "unnumbered", "lossy");
    assertThat(bea.got.stream().map(DataPacket::getSequence)).containsExactly(1, 2, 3, 0, 1);
    assertThat(ana.seq.last()).isEqualTo(3);
  }

  @Test
  void sequencesAreUnsignedAndPerSender() {
    ReliableSequence s = new ReliableSequence();
    assertThat(s.accept(0x7fff_ffff)).isTrue();
    assertThat(s.accept(0x8000_0000)).as("above 2^31 is higher, not negative").isTrue();
    assertThat(s.accept(0x7fff_ffff)).isFalse();
    assertThat(s.accept(0)).as("unnumbered: always new").isTrue();
    assertThat(s.last()).isEqualTo(0x8000_0000);
    assertThat(new ReliableSequence().accept(1)).isTrue();
  }

  static byte[] nonce(int n) {
    byte[] b = new byte[16];
    b[15] = (byte) n;
    b[14] = (byte) (n >> 8);
    return b;
  }

  static SendDataRequest.Builder sendData(String text) {
    return SendDataRequest.newBuilder().setData(ByteString.copyFromUtf8(text)).setTopic("srv");
  }

  /**
   * The Room service's SendData: to the identities or sids named, or to everyone; a retried request
   * (same nonce) is delivered once, among the room's last 100 nonces.
   */
  @Test
  void sendDataReachesWhomItNamesOnceByNonce() {
    Fake ana = join(ANA);
    Fake bea = join(info("bea", true, false, false));
    Fake cid = join(info("cid", true, false, false));
    assertThat(sendCount(data, sendData("all").build(), room.values())).isEqualTo(3);
    assertThat(
            sendCount(
                data, sendData("to bea").addDestinationIdentities("bea").build(), room.values()))
        .isEqualTo(1);
    assertThat(
            sendCount(data, sendData("to cid").addDestinationSids("PA_cid").build(), room.values()))
        .isEqualTo(1);
    SendDataRequest once = sendData("once").setNonce(ByteString.copyFrom(nonce(0))).build();
    assertThat(sendCount(data, once, room.values())).isEqualTo(3);
    assertThat(sendCount(data, once, room.values())).as("the retry").isZero();
    for (int i = 1; i <= RoomData.NONCES; i++) {
      sendCount(
          data,
          sendData("n").setNonce(ByteString.copyFrom(nonce(i))).addDestinationSids("PA_x").build(),
          room.values());
    }
    assertThat(sendCount(data, once, room.values())).as("forgotten after 100 others").isEqualTo(3);
    assertThat(texts(ana)).containsExactly("all", "once", "once");
    assertThat(texts(bea)).containsExactly("all", "to bea", "once", "once");
    assertThat(texts(cid)).containsExactly("all", "to cid", "once", "once");
    assertThat(bea.got.getFirst())
        .as("from the server: no identity, no sequence")
        .isEqualTo(
            DataPacket.newBuilder()
                .setKind(R)
                .setUser(
                    UserPacket.newBuilder()
                        .setPayload(ByteString.copyFromUtf8("all"))
                        .setTopic("srv"))
                .build());
  }

  /** A participant's user packet with a nonce seen before is dropped like a retried SendData. */
  @Test
  void aUserPacketWithARepeatedNonceIsDropped() {
    Fake ana = join(ANA);
    Fake bea = join(info("bea", true, false, false));
    byte[] p =
        user("x")
            .setUser(user("x").getUserBuilder().setNonce(ByteString.copyFrom(nonce(7))))
            .build()
            .toByteArray();
    data.relay(ana, "_lossy", p, room.values());
    data.relay(ana, "_lossy", p, room.values());
    assertThat(bea.got).hasSize(1);
  }

  /**
   * Whatever bytes a client sends on its channel, the relay neither throws nor lets a packet out
   * without the sender's sid; nothing goes back to the sender.
   */
  @Property
  void anyBytesAreRelayedStampedOrDropped(@ForAll byte[] payload, @ForAll boolean reliable) {
    RoomData d = new RoomData(new SignalDrops());
    Fake ana = new Fake(ANA);
    Fake bea = new Fake(info("bea", true, false, false));
    d.relay(ana, reliable ? "_reliable" : "_lossy", payload, List.of(ana, bea));
    assertThat(ana.got).isEmpty();
    for (DataPacket p : bea.got) {
      assertThat(p.getParticipantSid()).isEqualTo("PA_ana");
      assertThat(p.getKind()).isEqualTo(reliable ? R : DataPacket.Kind.LOSSY);
    }
  }

  private static int sendCount(
      RoomData data,
      livekit.LivekitRoom.SendDataRequest r,
      java.util.Collection<? extends RoomData.Member> everyone) {
    int[] sent = new int[1];
    data.send(r, everyone, sent);
    return sent[0];
  }
}
