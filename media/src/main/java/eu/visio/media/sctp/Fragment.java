package eu.visio.media.sctp;

/**
 * One DATA or I-DATA chunk as the buffers see it (RFC 9260 §3.3.1, RFC 8260 §2.1): where it sits in
 * its message and its message in its stream. {@code seq} is the stream sequence number (DATA, 16
 * bits) or the message identifier (I-DATA, 32 bits); {@code fsn} the fragment's place in an I-DATA
 * message (0 for the first; DATA orders fragments by TSN instead); {@code ppid} is known on the
 * first fragment only with I-DATA.
 */
record Fragment(
    boolean unordered,
    boolean beginning,
    boolean ending,
    long tsn,
    int streamId,
    long seq,
    long ppid,
    long fsn,
    byte[] payload) {
  static Fragment of(DataChunk d) {
    return new Fragment(
        d.unordered(),
        d.beginning(),
        d.ending(),
        d.tsn(),
        d.streamId(),
        d.ssn(),
        d.ppid(),
        0,
        d.payload());
  }

  static Fragment of(IDataChunk d) {
    return new Fragment(
        d.unordered(),
        d.beginning(),
        d.ending(),
        d.tsn(),
        d.streamId(),
        d.mid(),
        d.beginning() ? d.ppidOrFsn() : -1,
        d.beginning() ? 0 : d.ppidOrFsn(),
        d.payload());
  }

  /** The chunk that carries it: I-DATA when the association interleaves, else DATA. */
  Chunk toChunk(boolean interleaved) {
    return interleaved
        ? new IDataChunk(
            unordered,
            beginning,
            ending,
            false,
            tsn,
            streamId,
            seq,
            beginning ? ppid : fsn,
            payload)
        : new DataChunk(
            unordered, beginning, ending, false, tsn, streamId, (int) seq, ppid, payload);
  }
}
