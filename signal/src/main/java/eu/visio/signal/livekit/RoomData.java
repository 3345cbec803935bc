package eu.visio.signal.livekit;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import livekit.LivekitModels.DataPacket;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.UserPacket;

/**
 * LiveKit data packets in a room: relayed from one participant to others, or sent by the Room
 * service, with livekit-server's rules (pkg/rtc: participant's onReceivedDataMessage, room's
 * BroadcastDataPacketForRoom). They travel on each receiver's data channel of the kind they came on
 * ({@code _reliable} or {@code _lossy}). Confined to the room's worker.
 */
final class RoomData {
  /** How many user packet nonces a room remembers to drop repeats (as livekit-server). */
  static final int NONCES = 100;

  /** A participant as the relay sees it. */
  interface Member {
    String identity();

    String sid();

    /**
     * Its grant ({@code canPublishData}, {@code hidden}) and kind (agents may speak for others).
     */
    ParticipantInfo info();

    /** Reliable sequence numbers received from it. */
    ReliableSequence reliableReceived();

    /** Sends a packet on its channel of that label; false when it has none (yet). */
    boolean sendData(String label, byte[] packet);
  }

  private final SignalDrops drops;
  private final Set<ByteString> nonces = new HashSet<>();
  private final ArrayDeque<ByteString> nonceOrder = new ArrayDeque<>();

  RoomData(SignalDrops drops) {
    this.drops = drops;
  }

  /**
   * A data packet from {@code from} on its channel {@code label}: checked against its grant,
   * dropped if its reliable sequence was already received (a replay after a resume), stamped with
   * its sid and identity (others cannot pose as it; a hidden participant's identity is blanked),
   * then sent to the identities or sids it names, or to everyone else, on the channel of the same
   * label. Every kind is relayed (user, chat, RPC, streams, encrypted, DTMF, and kinds newer than
   * ours) except metrics, which livekit-server does not forward, and transcriptions not from an
   * agent.
   *
   * @return the packet as relayed (for the other nodes of a cascaded room), or null when dropped
   */
  byte[] relay(Member from, String label, byte[] payload, Collection<? extends Member> everyone) {
    DataPacket.Kind kind;
    if (label.equals(TransportData.RELIABLE)) {
      kind = DataPacket.Kind.RELIABLE;
    } else if (label.equals(TransportData.LOSSY)) {
      kind = DataPacket.Kind.LOSSY;
    } else {
      return null; // other channels (data tracks) are not relayed
    }
    ParticipantInfo sender = from.info();
    if (!sender.getPermission().getCanPublishData()) {
      drops.count(SignalDrops.Reason.DATA_NOT_ALLOWED);
      return null;
    }
    DataPacket in;
    try {
      in = DataPacket.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      drops.count(SignalDrops.Reason.MALFORMED);
      return null;
    }
    if (kind == DataPacket.Kind.RELIABLE && !from.reliableReceived().accept(in.getSequence())) {
      return null; // already relayed before the client resumed
    }
    DataPacket out = stamp(in, kind, sender);
    if (out == null || duplicate(out)) {
      return null;
    }
    byte[] bytes = out.toByteArray();
    broadcast(out, bytes, from, label, everyone);
    return bytes;
  }

  /**
   * A packet another node of a cascaded room relayed (checked and stamped there): to the
   * participants here it names, or to all. Malformed ones, and user packets whose nonce was seen,
   * are dropped.
   */
  void deliver(String label, byte[] packet, Collection<? extends Member> everyone) {
    if (!label.equals(TransportData.RELIABLE) && !label.equals(TransportData.LOSSY)) {
      drops.count(SignalDrops.Reason.MALFORMED);
      return;
    }
    DataPacket p;
    try {
      p = DataPacket.parseFrom(packet);
    } catch (InvalidProtocolBufferException e) {
      drops.count(SignalDrops.Reason.MALFORMED);
      return;
    }
    if (!duplicate(p)) {
      broadcast(p, packet, null, label, everyone);
    }
  }

  /**
   * The Room service's SendData: a user packet from the server (no participant identity, no
   * sequence) to the identities or sids it names, or to everyone; how many participants it went to
   * goes in {@code sent[0]}.
   *
   * @return the packet as sent, or null for a repeat
   */
  byte[] send(
      livekit.LivekitRoom.SendDataRequest r, Collection<? extends Member> everyone, int[] sent) {
    DataPacket.Kind kind =
        r.getKind() == DataPacket.Kind.LOSSY ? DataPacket.Kind.LOSSY : DataPacket.Kind.RELIABLE;
    UserPacket.Builder user =
        UserPacket.newBuilder()
            .setPayload(r.getData())
            .setTopic(r.getTopic())
            .addAllDestinationIdentities(r.getDestinationIdentitiesList())
            .addAllDestinationSids(r.getDestinationSidsList())
            .setNonce(r.getNonce());
    DataPacket out =
        DataPacket.newBuilder()
            .setKind(kind)
            .addAllDestinationIdentities(r.getDestinationIdentitiesList())
            .setUser(user)
            .build();
    if (duplicate(out)) {
      return null; // a retried request already delivered
    }
    byte[] bytes = out.toByteArray();
    sent[0] = broadcast(out, bytes, null, label(kind), everyone);
    return bytes;
  }

  /**
   * What livekit-server makes of a packet from {@code sender} before relaying it, or null when it
   * does not relay it. The kind is the channel's; the sid is always the sender's (receivers drop
   * repeated sequences per sid); the identity is the sender's, blank for a hidden one, except that
   * an agent may send a chat message or text stream on behalf of another identity (marked
   * generated). A user packet carries the same identity and sid inside, and its destinations are
   * merged with the packet's.
   */
  static DataPacket stamp(DataPacket in, DataPacket.Kind kind, ParticipantInfo sender) {
    boolean agent = sender.getKind() == ParticipantInfo.Kind.AGENT;
    boolean hidden = sender.getPermission().getHidden();
    String identity = hidden ? "" : sender.getIdentity();
    DataPacket.Builder b = in.toBuilder().setKind(kind).setParticipantSid(sender.getSid());
    boolean onBehalf =
        agent
            && !in.getParticipantIdentity().isEmpty()
            && !in.getParticipantIdentity().equals(sender.getIdentity());
    switch (in.getValueCase()) {
      case METRICS -> {
        return null;
      }
      case TRANSCRIPTION -> {
        if (!agent) {
          return null;
        }
      }
      case USER -> {
        UserPacket.Builder u =
            b.getUserBuilder()
                .setParticipantIdentity(identity)
                .setParticipantSid(hidden ? "" : sender.getSid());
        if (in.getDestinationIdentitiesCount() > 0) {
          u.clearDestinationIdentities()
              .addAllDestinationIdentities(in.getDestinationIdentitiesList());
        } else {
          b.addAllDestinationIdentities(u.getDestinationIdentitiesList());
        }
      }
      case CHAT_MESSAGE -> {
        if (onBehalf) {
          b.getChatMessageBuilder().setGenerated(true);
          return b.build();
        }
      }
      case STREAM_HEADER -> {
        if (onBehalf && in.getStreamHeader().hasTextHeader()) {
          b.getStreamHeaderBuilder().getTextHeaderBuilder().setGenerated(true);
          return b.build();
        }
      }
      default -> {}
    }
    return b.setParticipantIdentity(identity).build();
  }

  /**
   * Whether a user packet's nonce (a 16-byte UUID, set by server SDKs that retry SendData) was seen
   * among the room's last {@value #NONCES}; packets without one are never duplicates.
   */
  private boolean duplicate(DataPacket p) {
    ByteString nonce = p.getUser().getNonce();
    if (!p.hasUser() || nonce.size() != 16) {
      return false;
    }
    if (!nonces.add(nonce)) {
      return true;
    }
    nonceOrder.add(nonce);
    if (nonceOrder.size() > NONCES) {
      nonces.remove(nonceOrder.remove());
    }
    return false;
  }

  /** Sends {@code p} to those it names (identities, or a user packet's sids) or to all but from. */
  private static int broadcast(
      DataPacket p, byte[] out, Member from, String label, Collection<? extends Member> everyone) {
    List<String> identities = p.getDestinationIdentitiesList();
    List<String> sids = p.getUser().getDestinationSidsList();
    boolean all = identities.isEmpty() && sids.isEmpty();
    int sent = 0;
    for (Member o : everyone) {
      if (o != from && (all || identities.contains(o.identity()) || sids.contains(o.sid()))) {
        sent += o.sendData(label, out) ? 1 : 0;
      }
    }
    return sent;
  }

  static String label(DataPacket.Kind kind) {
    return kind == DataPacket.Kind.LOSSY ? TransportData.LOSSY : TransportData.RELIABLE;
  }
}
