/**
 * Per-subscriber bandwidth allocation and per-publisher dynacast: {@link
 * eu.visio.sfu.alloc.LayerBitrates} measures the received rate of each layer of a published video
 * track; {@link eu.visio.sfu.alloc.StreamAllocator} shares a subscriber's downlink estimate (from
 * {@code sfu.cc.BandwidthEstimator}) among its tracks by priority and preferences, choosing the
 * layer each down track forwards or pausing it; {@link eu.visio.sfu.alloc.LayersNeeded} gathers,
 * per published track, the highest layer any subscriber wants so the publisher can stop encoding
 * the others.
 *
 * <p>How the forwarding core uses them, on the media loop:
 *
 * <pre>{@code
 * // per published video track
 * LayerBitrates rates = new LayerBitrates(encodings, isSvc);
 * rates.setSize(s, width, height);                     // from SDP / scalability structure
 * rates.onPacket(spatial, tid, payloadBytes, now);     // per packet, O(1)
 * LayersNeeded needed = new LayersNeeded(trackId, encodings);
 *
 * // per subscriber
 * StreamAllocator alloc = new StreamAllocator(subscriberId, listener);
 * int h = alloc.add(trackId, Source.CAMERA, rates);    // listener: onTargetChanged ->
 * alloc.setPreferences(h, w, hgt, fps, disabled);      //   selector.setTarget(s, t);
 * needed.set(subscriberId, alloc.preferredSpatial(h)); // onStreamStateChanged -> signalling
 * alloc.setSpeaker(h, true);
 * alloc.allocate(bwe.estimate(), now);                 // every 100-200 ms and on changes
 * bwe.prober().shouldProbe(now, alloc.desiredBps(now));
 *
 * if (needed.poll(now)) { signal(needed.maxSpatial()); } // per published track, on a timer
 * }</pre>
 *
 * <p>Threading: each object is owned by one media loop, never locked. Times are caller-supplied
 * nanoseconds from one monotonic clock.
 */
package eu.visio.sfu.alloc;
