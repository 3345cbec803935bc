/**
 * WebRTC data channels over SCTP (RFC 8831): the Data Channel Establishment Protocol (DCEP, RFC
 * 8832) that opens a channel with its label, protocol and reliability, and the payload protocol
 * identifiers that tell strings from binary and empty messages.
 *
 * <p>Hand-written with the SCTP stack it rides on ({@link eu.visio.media.sctp}).
 */
package eu.visio.media.datachannel;
