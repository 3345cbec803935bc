/** Who may enter a meeting, and the LiveKit tokens minted for those who may. */
package eu.visio.meet.access;
