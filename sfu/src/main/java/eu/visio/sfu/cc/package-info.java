/**
 * Per-subscriber downlink congestion control, GCC family (draft-ietf-rmcat-gcc-02): {@link
 * eu.visio.sfu.cc.TransportSequencer} stamps transport-wide sequence numbers on what we send,
 * {@link eu.visio.sfu.cc.FeedbackAdapter} joins the browser's transport-cc feedback with that
 * history, and {@link eu.visio.sfu.cc.BandwidthEstimator} turns it into an estimate from a
 * delay-based controller (trendline filter, adaptive threshold, AIMD) and a loss-based cap, with
 * REMB as a fallback and {@link eu.visio.sfu.cc.Prober} to climb faster when subscriptions want
 * more. Times are long nanoseconds passed in by the caller.
 *
 * <p>Threading: one instance set per subscriber transport, owned by its media loop, never locked.
 */
package eu.visio.sfu.cc;
