/**
 * LiveKit's signalling protocol (issue 4): the {@code /rtc} and {@code /rtc/v1} WebSocket exchanges
 * of {@code SignalRequest}/{@code SignalResponse} protobufs, on the classes LiveKit generates from
 * {@code livekit/protocol} (artifact {@code io.livekit:livekit-server}; no {@code .proto} is copied
 * here). Being written: the join request decoding is the first piece.
 */
package eu.visio.signal.livekit;
