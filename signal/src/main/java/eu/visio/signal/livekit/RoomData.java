package eu.visio.signal.livekit;

import java.util.Collection;

/**
 * LiveKit data packets in a room: relayed from one participant to others, or sent by the Room
 * service. They travel on each receiver's data channel of the packet's kind ({@code _reliable} or
 * {@code _lossy}). Called on the room's worker.
 */
final class RoomData {
  private RoomData() {}

  /**
   * A data packet from {@code from}: checked against its grant, stamped with its identity (others
   * cannot pose as it), and sent to the identities it names or to everyone else, on the channel of
   * the same kind ({@code _reliable} or {@code _lossy}).
   */
  static void relay(
      LiveKitParticipant from,
      String label,
      byte[] payload,
      Collection<LiveKitParticipant> everyone,
      SignalDrops drops) {
    if (!label.equals(TransportData.RELIABLE) && !label.equals(TransportData.LOSSY)) {
      return; // other channels (data tracks) are not relayed
    }
    if (!from.info().getPermission().getCanPublishData()) {
      drops.count(SignalDrops.Reason.DATA_NOT_ALLOWED);
      return;
    }
    livekit.LivekitModels.DataPacket packet;
    try {
      packet = livekit.LivekitModels.DataPacket.parseFrom(payload);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      drops.count(SignalDrops.Reason.MALFORMED);
      return;
    }
    livekit.LivekitModels.DataPacket.Builder b =
        packet.toBuilder().setParticipantIdentity(from.identity()).setParticipantSid(from.sid());
    java.util.Set<String> to = new java.util.HashSet<>(packet.getDestinationIdentitiesList());
    if (packet.hasUser()) {
      b.getUserBuilder().setParticipantIdentity(from.identity()).setParticipantSid(from.sid());
      to.addAll(packet.getUser().getDestinationIdentitiesList());
    }
    byte[] out = b.build().toByteArray();
    for (LiveKitParticipant o : everyone) {
      if (o != from && (to.isEmpty() || to.contains(o.identity()))) {
        o.sendData(label, out);
      }
    }
  }

  /**
   * The Room service's SendData: a user packet from the server (no participant identity) to the
   * identities or sids it names, or to everyone; returns how many participants it went to.
   */
  static int send(livekit.LivekitRoom.SendDataRequest r, Collection<LiveKitParticipant> everyone) {
    livekit.LivekitModels.DataPacket.Kind kind = r.getKind();
    byte[] out =
        livekit.LivekitModels.DataPacket.newBuilder()
            .setKind(kind)
            .addAllDestinationIdentities(r.getDestinationIdentitiesList())
            .setUser(
                livekit.LivekitModels.UserPacket.newBuilder()
                    .setPayload(r.getData())
                    .setTopic(r.getTopic())
                    .addAllDestinationIdentities(r.getDestinationIdentitiesList())
                    .addAllDestinationSids(r.getDestinationSidsList()))
            .build()
            .toByteArray();
    String label =
        kind == livekit.LivekitModels.DataPacket.Kind.LOSSY
            ? TransportData.LOSSY
            : TransportData.RELIABLE;
    boolean all = r.getDestinationIdentitiesCount() == 0 && r.getDestinationSidsCount() == 0;
    int sent = 0;
    for (LiveKitParticipant o : everyone) {
      if (all
          || r.getDestinationIdentitiesList().contains(o.identity())
          || r.getDestinationSidsList().contains(o.sid())) {
        sent += o.sendData(label, out) ? 1 : 0;
      }
    }
    return sent;
  }
}
