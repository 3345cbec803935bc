package eu.visio.signal.livekit;

import eu.visio.media.sdp.MediaKind;
import eu.visio.media.sdp.NegotiatedMedia;
import eu.visio.sfu.TrackSource;
import java.util.Locale;
import livekit.LivekitModels.SimulcastCodecInfo;
import livekit.LivekitModels.TrackInfo;
import livekit.LivekitModels.TrackType;
import livekit.LivekitModels.VideoQuality;
import livekit.LivekitRtc.AddTrackRequest;
import livekit.LivekitRtc.SignalResponse;
import livekit.LivekitRtc.SimulcastCodec;
import livekit.LivekitRtc.SubscribedCodec;
import livekit.LivekitRtc.SubscribedQuality;
import livekit.LivekitRtc.SubscribedQualityUpdate;

/** LiveKit's {@code TrackInfo} of a publication, from its announcement to its negotiation. */
final class TrackInfos {
  private TrackInfos() {}

  /** The track an {@code AddTrackRequest} announces, as its {@code TrackPublishedResponse} says. */
  static TrackInfo announced(String sid, AddTrackRequest add) {
    TrackInfo.Builder b =
        TrackInfo.newBuilder()
            .setSid(sid)
            .setType(add.getType())
            .setName(add.getName())
            .setMuted(add.getMuted())
            .setWidth(add.getWidth())
            .setHeight(add.getHeight())
            .setSimulcast(add.getLayersCount() > 1)
            .setSource(add.getSource())
            .addAllLayers(add.getLayersList())
            .setDisableDtx(add.getDisableDtx())
            .setStereo(add.getStereo())
            .setDisableRed(add.getDisableRed())
            .setEncryption(add.getEncryption())
            .setStream(add.getStream())
            .addAllAudioFeatures(add.getAudioFeaturesList())
            .setBackupCodecPolicy(add.getBackupCodecPolicy());
    for (SimulcastCodec c : add.getSimulcastCodecsList()) {
      b.addCodecs(
          SimulcastCodecInfo.newBuilder()
              .setMimeType(mimeType(add.getType(), c.getCodec()))
              .setCid(c.getCid().isEmpty() ? add.getCid() : c.getCid())
              .addAllLayers(c.getLayersList()));
    }
    return b.build();
  }

  /** The track once its m-line is negotiated: its codec and mid. */
  static TrackInfo negotiated(TrackInfo announced, NegotiatedMedia m) {
    TrackType type = m.kind() == MediaKind.AUDIO ? TrackType.AUDIO : TrackType.VIDEO;
    String mime = mimeType(type, m.primaryCodec().name());
    TrackInfo.Builder b = announced.toBuilder().setMimeType(mime).setMid(m.mid());
    if (b.getCodecsCount() == 0) {
      b.addCodecs(SimulcastCodecInfo.newBuilder().setMimeType(mime).setMid(m.mid()));
    } else {
      b.setCodecs(0, b.getCodecs(0).toBuilder().setMimeType(mime).setMid(m.mid()));
    }
    return b.build();
  }

  /** LiveKit's MIME types: {@code audio/opus}, {@code video/VP8}... */
  static String mimeType(TrackType type, String codec) {
    String kind = type == TrackType.AUDIO ? "audio/" : "video/";
    return codec.contains("/") ? codec : kind + codec;
  }

  static TrackSource source(TrackInfo info) {
    return switch (info.getSource()) {
      case CAMERA -> TrackSource.CAMERA;
      case MICROPHONE -> TrackSource.MICROPHONE;
      case SCREEN_SHARE -> TrackSource.SCREEN_SHARE;
      case SCREEN_SHARE_AUDIO -> TrackSource.SCREEN_SHARE_AUDIO;
      default -> TrackSource.UNKNOWN;
    };
  }

  /**
   * Dynacast (LiveKit's {@code SubscribedQualityUpdate}): the publisher may stop encoding every
   * layer above {@code maxSpatial} (-1: none is received).
   */
  static SignalResponse subscribedQuality(Publication pub, int maxSpatial) {
    SubscribedQualityUpdate.Builder u = SubscribedQualityUpdate.newBuilder().setTrackSid(pub.sid());
    SubscribedCodec.Builder codec = SubscribedCodec.newBuilder();
    String mime = pub.info().getMimeType();
    codec.setCodec(mime.substring(mime.indexOf('/') + 1).toLowerCase(Locale.ROOT));
    for (VideoQuality q :
        new VideoQuality[] {VideoQuality.LOW, VideoQuality.MEDIUM, VideoQuality.HIGH}) {
      boolean enabled = false;
      for (int i = 0; i <= maxSpatial; i++) {
        enabled |= pub.quality(i) == q;
      }
      // Layers above the top one the publisher sends are enabled when its top one is.
      if (!enabled && maxSpatial >= 0 && pub.quality(maxSpatial).getNumber() < q.getNumber()) {
        enabled = maxSpatial == topLayer(pub);
      }
      SubscribedQuality sq =
          SubscribedQuality.newBuilder().setQuality(q).setEnabled(enabled).build();
      u.addSubscribedQualities(sq);
      codec.addQualities(sq);
    }
    return SignalResponse.newBuilder()
        .setSubscribedQualityUpdate(u.addSubscribedCodecs(codec))
        .build();
  }

  private static int topLayer(Publication pub) {
    return pub.track() == null ? 0 : Math.max(0, pub.track().encodings() - 1);
  }
}
