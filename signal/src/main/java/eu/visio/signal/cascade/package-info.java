/**
 * What the nodes serving parts of one cascaded room tell each other over the cluster bus (issue
 * 10): each part's state ({@link eu.visio.signal.cascade.PartState}: its participants, the tracks
 * they publish with the link channel each travels on, its link ports, the layers its subscribers
 * need of the others' tracks) and the data packets its participants send ({@link
 * eu.visio.signal.cascade.PartData}). Written by hand: a few fields in a small, bounded binary form
 * inside frames the bus already signs; LiveKit's own messages inside travel as their protobuf
 * bytes.
 *
 * <p>State, not deltas: a part sends its whole state when it changes and again every few seconds,
 * so a message lost on pub/sub (Redis restarting) is repaired by the next one, and a part not heard
 * from for a while is gone.
 */
package eu.visio.signal.cascade;
