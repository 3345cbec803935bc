/**
 * Per-subscriber layer selection and rewriting for simulcast and temporal layers: {@link
 * eu.visio.sfu.layer.LayerSelector} decides per packet (codec-agnostic; its target, counters and
 * keyframe retries are the {@link eu.visio.sfu.layer.LayerFilter} it shares with the SVC filters),
 * {@link eu.visio.sfu.layer.SequenceRewriter} and {@link eu.visio.sfu.layer.TimestampRewriter} keep
 * RTP numbering continuous across drops and switches, {@link eu.visio.sfu.layer.Vp8Descriptor} and
 * {@link eu.visio.sfu.layer.Vp8Munger} do the same for VP8's picture id, TL0PICIDX and KEYIDX (RFC
 * 7741), and {@link eu.visio.sfu.layer.LayerForwarder} ties them together for the forwarding core.
 *
 * <p>Threading: owned by one media loop, never locked; nothing allocates per packet.
 */
package eu.visio.sfu.layer;
