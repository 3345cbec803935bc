package eu.visio.media.sctp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Stream reset (RFC 6525) for one association, both ways: our outgoing resets (a data channel we
 * close) and the peer's (a channel it closed, RFC 8831 §6.7).
 *
 * <p>Ours: streams to reset are batched into one Outgoing SSN Reset Request at a time (§5.1.1),
 * carrying the last TSN we assigned; it is resent with the same sequence number when lost, and with
 * a new one when the peer answers "in progress" (it still waits for our data), as WebRTC's dcSCTP
 * does. On success those streams restart at sequence number 0.
 *
 * <p>The peer's: a request with the expected sequence number is performed once everything the peer
 * sent before it has arrived ({@link ReceiveBuffer#requestReset}); until then it is answered "in
 * progress". A retransmission gets the earlier answer again; a retry that repeats a reset already
 * performed is answered success without resetting twice; any other sequence number is an error.
 * Requests WebRTC does not use (incoming, SSN/TSN reset, adding streams) are denied.
 */
final class StreamResets {
  static final int MAX_STREAMS_PER_REQUEST = 1024;

  private final Association.Listener listener;

  // Ours.
  private long nextRequestSeq;
  private final TreeSet<Integer> queued = new TreeSet<>();
  private ReconfigParam.OutgoingReset inFlight;
  private boolean sendDue;
  private long deadline = -1;

  // The peer's.
  private long lastProcessedSeq;
  private ReconfigParam.Result lastResult = ReconfigParam.Result.SUCCESS_NOTHING_TO_DO;
  private ReconfigParam.OutgoingReset pending; // waiting for TSNs, as last requested
  private long performedLastTsn = -1;
  private int[] performedStreams = new int[0];

  /**
   * @param localInitialTsn our first TSN, also our first request sequence number (§5.1.1)
   * @param peerInitialTsn the peer's, one past the sequence number it has "already used"
   */
  StreamResets(long localInitialTsn, long peerInitialTsn, Association.Listener listener) {
    this.listener = listener;
    this.nextRequestSeq = localInitialTsn;
    this.lastProcessedSeq = (peerInitialTsn - 1) & 0xFFFF_FFFFL;
  }

  /** Asks to reset our outgoing {@code streams}; sent with the next {@link #take}. */
  void reset(int... streams) {
    for (int s : streams) {
      queued.add(s);
    }
    if (inFlight == null) {
      sendDue = true;
    }
  }

  boolean idle() {
    return inFlight == null && queued.isEmpty();
  }

  long deadline() {
    return deadline;
  }

  /** The request to send now, if any: a new one, or ours again when its timer ran out. */
  ReconfigParam.OutgoingReset take(SendBuffer send, long nowNanos) {
    if (inFlight != null && deadline >= 0 && nowNanos >= deadline) {
      sendDue = true; // lost: the same request again (§5.1.1)
    }
    if (!sendDue) {
      return null;
    }
    sendDue = false;
    if (inFlight == null) {
      // A stream is reset after its last message has a TSN: those still queued wait.
      int[] streams =
          queued.stream()
              .filter(st -> !send.hasQueued(st))
              .limit(MAX_STREAMS_PER_REQUEST)
              .mapToInt(Integer::intValue)
              .toArray();
      if (streams.length == 0) {
        sendDue = !queued.isEmpty();
        return null;
      }
      for (int st : streams) {
        queued.remove(st);
      }
      inFlight =
          new ReconfigParam.OutgoingReset(
              nextRequestSeq, lastProcessedSeq, send.lastAssignedTsn(), streams);
      nextRequestSeq = (nextRequestSeq + 1) & 0xFFFF_FFFFL;
    }
    deadline = nowNanos + send.rtoNanos();
    return inFlight;
  }

  /**
   * A RE-CONFIG chunk: takes the responses to ours and puts the answers to the peer's requests in
   * {@code answers}; true if it asked for a reset now pending (see {@link #performIfReady}).
   */
  boolean onReconfig(
      ReconfigChunk chunk, SendBuffer send, ReceiveBuffer receive, List<ReconfigParam> answers) {
    boolean pending = false;
    for (ReconfigParam p : chunk.params()) {
      if (p instanceof ReconfigParam.Response r) {
        onResponse(r, send);
      } else if (!(p instanceof ReconfigParam.Unknown)) {
        ReconfigParam.Response answer = onRequest(p, receive);
        if (answer != null) {
          answers.add(answer);
        } else {
          pending = true;
        }
      }
    }
    return pending;
  }

  /** The peer's answer to our request. */
  void onResponse(ReconfigParam.Response r, SendBuffer send) {
    ReconfigParam.OutgoingReset req = inFlight;
    if (req == null || r.responseSeq() != req.requestSeq()) {
      return; // stale or unsolicited
    }
    if (r.result() == ReconfigParam.Result.IN_PROGRESS) {
      // Asked again after an RTO, with a new sequence number (the deadline stays).
      inFlight =
          new ReconfigParam.OutgoingReset(
              nextRequestSeq, lastProcessedSeq, req.lastTsn(), req.streams());
      nextRequestSeq = (nextRequestSeq + 1) & 0xFFFF_FFFFL;
      return;
    }
    inFlight = null;
    deadline = -1;
    if (r.result().success()) {
      send.resetOutgoing(req.streams());
      listener.onOutgoingStreamsReset(req.streams());
    } else {
      listener.onOutgoingStreamsResetFailed(req.streams(), r.result().name());
    }
    sendDue = !queued.isEmpty();
  }

  /**
   * The peer's request; returns the response to send, or null for a reset now pending: the
   * association then tries {@link #performIfReady} and otherwise answers {@link #inProgress}.
   */
  ReconfigParam.Response onRequest(ReconfigParam p, ReceiveBuffer receive) {
    return switch (p) {
      case ReconfigParam.OutgoingReset r -> onOutgoingReset(r, receive);
      case ReconfigParam.OtherRequest o -> answer(o.requestSeq(), ReconfigParam.Result.DENIED);
      default -> null;
    };
  }

  private ReconfigParam.Response onOutgoingReset(
      ReconfigParam.OutgoingReset r, ReceiveBuffer receive) {
    long seq = r.requestSeq();
    if (seq == lastProcessedSeq) {
      return new ReconfigParam.Response(seq, lastResult); // a retransmission
    }
    if (seq != ((lastProcessedSeq + 1) & 0xFFFF_FFFFL)) {
      return new ReconfigParam.Response(seq, ReconfigParam.Result.ERROR_BAD_SEQUENCE_NUMBER);
    }
    lastProcessedSeq = seq;
    if (pending != null) {
      // A retry of the pending reset under a new number is still in progress; anything else must
      // wait for it.
      boolean same =
          r.lastTsn() == pending.lastTsn() && Arrays.equals(r.streams(), pending.streams());
      if (same) {
        pending = r;
      }
      lastResult =
          same ? ReconfigParam.Result.IN_PROGRESS : ReconfigParam.Result.ERROR_REQUEST_IN_PROGRESS;
      return new ReconfigParam.Response(seq, lastResult);
    }
    if (r.lastTsn() == performedLastTsn && covered(r.streams())) {
      lastResult = ReconfigParam.Result.SUCCESS_PERFORMED; // done already, under an older number
      return new ReconfigParam.Response(seq, lastResult);
    }
    receive.requestReset(r.lastTsn(), r.streams());
    pending = r;
    lastResult = ReconfigParam.Result.IN_PROGRESS;
    return null; // the association performs it at once if it can, else answers inProgress()
  }

  /** The answer to a reset that must wait for the peer's earlier data. */
  ReconfigParam.Response inProgress() {
    return new ReconfigParam.Response(pending.requestSeq(), ReconfigParam.Result.IN_PROGRESS);
  }

  boolean resetPending() {
    return pending != null;
  }

  private boolean covered(int[] streams) {
    if (performedStreams.length == 0) {
      return true;
    }
    for (int s : streams) {
      if (Arrays.stream(performedStreams).noneMatch(x -> x == s)) {
        return false;
      }
    }
    return streams.length > 0;
  }

  private ReconfigParam.Response answer(long seq, ReconfigParam.Result result) {
    if (seq == ((lastProcessedSeq + 1) & 0xFFFF_FFFFL)) {
      lastProcessedSeq = seq;
      lastResult = result;
      return new ReconfigParam.Response(seq, result);
    }
    return new ReconfigParam.Response(
        seq, seq == lastProcessedSeq ? lastResult : ReconfigParam.Result.ERROR_BAD_SEQUENCE_NUMBER);
  }

  /**
   * Performs the peer's pending reset if everything before it arrived: tells the listener which
   * streams were reset (empty: all), then delivers the messages held back; returns the response to
   * send (success, for the latest number it was requested under), or null if nothing happened.
   */
  ReconfigParam.Response performIfReady(ReceiveBuffer receive) {
    if (pending == null) {
      return null;
    }
    List<ReceiveBuffer.Message> freed = new ArrayList<>();
    int[] reset = receive.resetIfReady(freed);
    if (reset == null) {
      return null;
    }
    performedLastTsn = pending.lastTsn();
    performedStreams = reset;
    long seq = pending.requestSeq();
    pending = null;
    if (seq == lastProcessedSeq) {
      lastResult = ReconfigParam.Result.SUCCESS_PERFORMED;
    }
    listener.onIncomingStreamsReset(reset);
    for (ReceiveBuffer.Message m : freed) {
      listener.onMessage(m.streamId(), m.ppid(), m.unordered(), m.payload());
    }
    return new ReconfigParam.Response(seq, ReconfigParam.Result.SUCCESS_PERFORMED);
  }
}
