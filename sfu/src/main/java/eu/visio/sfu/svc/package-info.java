/**
 * Scalable video (SVC) for VP9 and AV1: {@link eu.visio.sfu.svc.Vp9Descriptor} parses the VP9
 * payload descriptor (RFC 9628), {@link eu.visio.sfu.svc.DependencyDescriptor} the AV1 dependency
 * descriptor header extension against the stream's {@link eu.visio.sfu.svc.DependencyStructure},
 * and the {@link eu.visio.sfu.svc.SvcLayerFilter}s ({@link eu.visio.sfu.svc.Vp9LayerFilter}, {@link
 * eu.visio.sfu.svc.Av1LayerFilter}) decide per subscriber which packets of the single SVC stream to
 * forward for its chosen spatial and temporal layer, and where the RTP marker goes.
 *
 * <p>Sequence numbers of what is dropped are closed up by the caller with {@link
 * eu.visio.sfu.layer.SequenceRewriter}, as for VP8 temporal layers. Threading: owned by one media
 * loop, never locked; nothing allocates per packet (a changed AV1 structure allocates once).
 */
package eu.visio.sfu.svc;
