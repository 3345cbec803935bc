/**
 * The lobby (waiting room) of meetings: knocks, host decisions, expiry, and the server-side answer
 * to "was this participant admitted?" that token minting relies on.
 */
package eu.visio.meet.lobby;
