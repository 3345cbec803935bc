/**
 * Signalling: how peers negotiate sessions with the SFU. Today WHIP (RFC 9725) and WHEP; the
 * LiveKit protocol comes next. Knows the SFU's API, never its packet path.
 */
package eu.visio.signal;
