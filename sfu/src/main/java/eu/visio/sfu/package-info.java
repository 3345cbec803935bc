/**
 * The forwarding core: published tracks fanned out to down tracks with per-subscriber rewriting of
 * SSRC, payload type, sequence number, timestamp and header-extension ids; keyframe requests mapped
 * back to publishers; subscribers' NACKs answered from each published track's packet history and
 * the publishers' losses NACKed upstream (package {@code nack}); sender reports rewritten per
 * subscriber; receiver reports, REMB and transport-cc feedback generated towards publishers. Knows
 * nothing of signalling. Hand-written: this is the SFU.
 *
 * <p>Threading: every object here is owned by one media event loop and is never locked.
 */
package eu.visio.sfu;
