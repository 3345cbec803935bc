/**
 * The forwarding core: published tracks fanned out to down tracks with per-subscriber rewriting of
 * SSRC, payload type, sequence number, timestamp and header-extension ids; keyframe requests and
 * NACKs mapped back to publishers; sender reports rewritten per subscriber; receiver reports and
 * REMB generated towards publishers. Knows nothing of signalling. Hand-written: this is the SFU.
 *
 * <p>Threading: every object here is owned by one media event loop and is never locked.
 */
package eu.visio.sfu;
