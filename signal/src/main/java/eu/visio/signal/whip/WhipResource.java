package eu.visio.signal.whip;

/**
 * What a successful WHIP or WHEP POST returns: the resource path for the {@code Location} header
 * and the SDP answer.
 */
public record WhipResource(String id, String location, String answerSdp) {}
