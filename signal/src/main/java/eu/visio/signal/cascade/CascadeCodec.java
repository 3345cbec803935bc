package eu.visio.signal.cascade;

import com.google.protobuf.InvalidProtocolBufferException;
import eu.visio.sfu.TrackInfo;
import eu.visio.sfu.TrackKind;
import eu.visio.sfu.TrackSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitRtc.SubscriptionPermission;

/**
 * The bytes of {@link PartState} and {@link PartData} on the cluster bus (which signs and numbers
 * them). Big-endian; strings as modified UTF-8 with a 16-bit length ({@link DataOutputStream}); a
 * count or a length read from the wire is bounded before anything is allocated for it, so a bad
 * message costs nothing but a {@link CascadeParseException}.
 */
public final class CascadeCodec {
  static final int VERSION = 1;

  /** More participants than a room holds on one node, more tracks than one publishes. */
  static final int MAX_MEMBERS = 4096;

  static final int MAX_TRACKS = 64;
  static final int MAX_ENTRIES = 4096;
  static final int MAX_EXTENSIONS = 32;
  static final int MAX_RIDS = 8;

  /** A LiveKit message inside (a participant's info, a data packet): the bus's own limit. */
  static final int MAX_BLOB = 200 * 1024;

  private CascadeCodec() {}

  public static byte[] encode(PartState s) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + 256 * s.members().size());
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeUTF(s.room());
      out.writeUTF(s.node());
      out.writeLong(s.version());
      out.writeBoolean(s.ended());
      out.writeUTF(s.linkHost());
      out.writeShort(s.linkPort());
      writeMap(out, s.linkIds());
      out.writeShort(s.members().size());
      for (PartState.Member m : s.members()) {
        writeBlob(out, m.info().toByteArray());
        writeBlob(out, m.permission().toByteArray());
        out.writeByte(m.quality());
        out.writeFloat(m.score());
        out.writeByte(m.tracks().size());
        for (PartState.Export e : m.tracks()) {
          out.writeUTF(e.trackSid());
          out.writeShort(e.channel());
          out.writeByte(e.source().ordinal());
          writeMedia(out, e.media());
        }
      }
      writeMap(out, s.wantedLayers());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    return bytes.toByteArray();
  }

  public static PartState decodeState(byte[] b) throws CascadeParseException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b))) {
      version(in);
      String room = in.readUTF();
      String node = in.readUTF();
      long version = in.readLong();
      boolean ended = in.readBoolean();
      String host = in.readUTF();
      int port = in.readUnsignedShort();
      Map<String, Integer> ids = readMap(in);
      int n = count(in.readUnsignedShort(), MAX_MEMBERS, "members");
      List<PartState.Member> members = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        ParticipantInfo info = ParticipantInfo.parseFrom(readBlob(in));
        SubscriptionPermission permission = SubscriptionPermission.parseFrom(readBlob(in));
        int quality = in.readUnsignedByte();
        float score = in.readFloat();
        int t = count(in.readUnsignedByte(), MAX_TRACKS, "tracks");
        List<PartState.Export> tracks = new ArrayList<>(t);
        for (int j = 0; j < t; j++) {
          String sid = in.readUTF();
          int channel = in.readUnsignedShort();
          if (channel == 0) {
            throw new CascadeParseException("channel 0");
          }
          TrackSource source = TrackSource.values()[index(in, TrackSource.values().length)];
          tracks.add(new PartState.Export(sid, channel, readMedia(in), source));
        }
        members.add(new PartState.Member(info, permission, quality, score, tracks));
      }
      Map<String, Integer> wanted = readMap(in);
      end(in);
      return new PartState(room, node, version, ended, host, port, ids, members, wanted);
    } catch (InvalidProtocolBufferException e) {
      throw new CascadeParseException("bad LiveKit message: " + e.getMessage());
    } catch (IOException e) { // truncated, or bad modified UTF-8
      throw new CascadeParseException("truncated or malformed: " + e);
    } catch (IllegalArgumentException e) { // a TrackInfo refusing its fields
      throw new CascadeParseException(e.getMessage());
    }
  }

  public static byte[] encode(PartData d) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(d.packet().length + 64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeUTF(d.room());
      out.writeUTF(d.label());
      writeBlob(out, d.packet());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public static PartData decodeData(byte[] b) throws CascadeParseException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b))) {
      version(in);
      PartData d = new PartData(in.readUTF(), in.readUTF(), readBlob(in));
      end(in);
      return d;
    } catch (IOException e) {
      throw new CascadeParseException("truncated or malformed: " + e);
    }
  }

  private static void writeMedia(DataOutputStream out, TrackInfo m) throws IOException {
    out.writeByte(m.kind().ordinal());
    out.writeUTF(m.codec());
    out.writeInt(m.clockRate());
    out.writeShort(m.payloadType());
    out.writeShort(m.rtxPayloadType());
    out.writeInt(m.ssrc());
    out.writeInt(m.rtxSsrc());
    out.writeByte(m.extensionIds().size());
    for (Map.Entry<String, Integer> e : m.extensionIds().entrySet()) {
      out.writeUTF(e.getKey());
      out.writeByte(e.getValue());
    }
    out.writeUTF(m.mid() == null ? "" : m.mid());
    out.writeByte(m.rids().size());
    for (String rid : m.rids()) {
      out.writeUTF(rid);
    }
    out.writeBoolean(m.firOnly());
    out.writeShort(m.redPayloadType());
  }

  private static TrackInfo readMedia(DataInputStream in) throws IOException, CascadeParseException {
    TrackKind kind = TrackKind.values()[index(in, TrackKind.values().length)];
    String codec = in.readUTF();
    int clockRate = in.readInt();
    int pt = in.readShort();
    int rtxPt = in.readShort();
    int ssrc = in.readInt();
    int rtxSsrc = in.readInt();
    int n = count(in.readUnsignedByte(), MAX_EXTENSIONS, "extensions");
    Map<String, Integer> ext = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      ext.put(in.readUTF(), in.readUnsignedByte());
    }
    String mid = in.readUTF();
    int r = count(in.readUnsignedByte(), MAX_RIDS, "rids");
    List<String> rids = new ArrayList<>(r);
    for (int i = 0; i < r; i++) {
      rids.add(in.readUTF());
    }
    boolean firOnly = in.readBoolean();
    int red = in.readShort();
    if (clockRate <= 0 || pt < 0 || pt > 127 || rtxPt < -1 || rtxPt > 127 || red < -1) {
      throw new CascadeParseException("bad media description");
    }
    return new TrackInfo(
        kind, codec, clockRate, pt, rtxPt, ssrc, rtxSsrc, ext, mid, rids, firOnly, red);
  }

  private static void writeMap(DataOutputStream out, Map<String, Integer> map) throws IOException {
    out.writeShort(map.size());
    for (Map.Entry<String, Integer> e : map.entrySet()) {
      out.writeUTF(e.getKey());
      out.writeInt(e.getValue());
    }
  }

  private static Map<String, Integer> readMap(DataInputStream in)
      throws IOException, CascadeParseException {
    int n = count(in.readUnsignedShort(), MAX_ENTRIES, "entries");
    Map<String, Integer> map = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      map.put(in.readUTF(), in.readInt());
    }
    return map;
  }

  private static void writeBlob(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] readBlob(DataInputStream in) throws IOException, CascadeParseException {
    int n = in.readInt();
    if (n < 0 || n > MAX_BLOB || n > in.available()) {
      throw new CascadeParseException("blob of " + n + " bytes");
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }

  private static void version(DataInputStream in) throws IOException, CascadeParseException {
    int v = in.readUnsignedByte();
    if (v != VERSION) {
      throw new CascadeParseException("version " + v);
    }
  }

  private static void end(DataInputStream in) throws IOException, CascadeParseException {
    if (in.available() > 0) {
      throw new CascadeParseException(in.available() + " bytes after the message");
    }
  }

  private static int count(int n, int max, String what) throws CascadeParseException {
    if (n > max) {
      throw new CascadeParseException(n + " " + what);
    }
    return n;
  }

  private static int index(DataInputStream in, int values)
      throws IOException, CascadeParseException {
    int i = in.readUnsignedByte();
    if (i >= values) {
      throw new CascadeParseException("enum value " + i);
    }
    return i;
  }
}
