package eu.visio.loadtest.target;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A server the bots are run against: ours, the bare relay, later Janus. Each starts as a process of
 * its own, so that the CPU time and memory read from {@code /proc} are the server's alone, and
 * joins bots in its own way (LiveKit signalling, the relay's hello, Janus's HTTP API).
 */
public interface Target {
  /** The name the report and the command line use: {@code visio}, {@code relay}, {@code janus}. */
  String name();

  /**
   * Starts the server, with its logs and data under {@code workDir}, and returns once it accepts
   * bots.
   */
  TargetSession start(Path workDir) throws IOException, InterruptedException;

  /**
   * Whether bots speak WebRTC's transport to it (ICE, DTLS, SRTP, RTCP feedback), or plain RTP as
   * the bare relay expects.
   */
  boolean webrtc();
}
