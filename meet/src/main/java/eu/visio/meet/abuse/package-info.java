/** Protection of the meeting service's endpoints from abuse: per-client rate limits. */
package eu.visio.meet.abuse;
