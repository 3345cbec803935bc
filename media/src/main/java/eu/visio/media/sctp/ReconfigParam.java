package eu.visio.media.sctp;

import java.util.Arrays;

/**
 * The parameters of a RE-CONFIG chunk (RFC 6525 §4) that WebRTC uses, typed; the others (SSN/TSN
 * reset, adding streams) are kept raw so that they can be denied by their request sequence number.
 */
public sealed interface ReconfigParam {
  /** RFC 6525 §4.1-§4.6 parameter types. */
  int OUTGOING_RESET = 13;

  int INCOMING_RESET = 14;
  int SSN_TSN_RESET = 15;
  int RESPONSE = 16;
  int ADD_OUTGOING_STREAMS = 17;
  int ADD_INCOMING_STREAMS = 18;

  /** RFC 6525 §4.4 result codes. */
  enum Result {
    SUCCESS_NOTHING_TO_DO,
    SUCCESS_PERFORMED,
    DENIED,
    ERROR_WRONG_SSN,
    ERROR_REQUEST_IN_PROGRESS,
    ERROR_BAD_SEQUENCE_NUMBER,
    IN_PROGRESS;

    boolean success() {
      return this == SUCCESS_NOTHING_TO_DO || this == SUCCESS_PERFORMED;
    }
  }

  Param toParam();

  /**
   * §4.1: the sender will send nothing more on {@code streams} (all of them when empty) after
   * {@code lastTsn}; the receiver restarts their sequence numbers at 0 once it has everything up to
   * it.
   */
  record OutgoingReset(long requestSeq, long responseSeq, long lastTsn, int[] streams)
      implements ReconfigParam {
    @Override
    public Param toParam() {
      byte[] v = new byte[12 + 2 * streams.length];
      Wire.put32(v, 0, requestSeq);
      Wire.put32(v, 4, responseSeq);
      Wire.put32(v, 8, lastTsn);
      for (int i = 0; i < streams.length; i++) {
        Wire.put16(v, 12 + 2 * i, streams[i]);
      }
      return new Param(OUTGOING_RESET, v);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof OutgoingReset r
          && r.requestSeq == requestSeq
          && r.responseSeq == responseSeq
          && r.lastTsn == lastTsn
          && Arrays.equals(r.streams, streams);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(requestSeq) * 31 + Arrays.hashCode(streams);
    }

    @Override
    public String toString() {
      return "OutgoingReset[seq=%d, lastTsn=%d, streams=%s]"
          .formatted(requestSeq, lastTsn, Arrays.toString(streams));
    }
  }

  /** §4.4: the answer to request {@code responseSeq}. */
  record Response(long responseSeq, Result result) implements ReconfigParam {
    @Override
    public Param toParam() {
      byte[] v = new byte[8];
      Wire.put32(v, 0, responseSeq);
      Wire.put32(v, 4, result.ordinal());
      return new Param(RESPONSE, v);
    }
  }

  /**
   * Any other request (§4.2 incoming reset, §4.3 SSN/TSN reset, §4.5-§4.6 adding streams): all
   * start with their request sequence number. WebRTC peers never send them; we deny them.
   */
  record OtherRequest(int type, long requestSeq) implements ReconfigParam {
    @Override
    public Param toParam() {
      byte[] v = new byte[type == ADD_OUTGOING_STREAMS || type == ADD_INCOMING_STREAMS ? 8 : 4];
      Wire.put32(v, 0, requestSeq);
      return new Param(type, v);
    }
  }

  /** A parameter of a type RFC 6525 does not define (or a response's optional TSNs we ignore). */
  record Unknown(Param param) implements ReconfigParam {
    @Override
    public Param toParam() {
      return param;
    }
  }

  static ReconfigParam of(Param p) throws SctpParseException {
    byte[] v = p.value();
    return switch (p.type()) {
      case OUTGOING_RESET -> {
        Wire.need(v.length >= 12 && v.length % 2 == 0, "bad outgoing reset request");
        int[] streams = new int[(v.length - 12) / 2];
        for (int i = 0; i < streams.length; i++) {
          streams[i] = Wire.u16(v, 12 + 2 * i);
        }
        yield new OutgoingReset(Wire.u32(v, 0), Wire.u32(v, 4), Wire.u32(v, 8), streams);
      }
      case RESPONSE -> {
        // 8 bytes, or 16 with the sender's and receiver's next TSN (SSN/TSN reset only).
        Wire.need(v.length == 8 || v.length == 16, "bad reconfiguration response");
        long code = Wire.u32(v, 4);
        Wire.need(code < Result.values().length, "unknown reconfiguration result " + code);
        yield new Response(Wire.u32(v, 0), Result.values()[(int) code]);
      }
      case INCOMING_RESET, SSN_TSN_RESET, ADD_OUTGOING_STREAMS, ADD_INCOMING_STREAMS -> {
        Wire.need(v.length >= 4, "bad reconfiguration request");
        yield new OtherRequest(p.type(), Wire.u32(v, 0));
      }
      default -> new Unknown(p);
    };
  }
}
