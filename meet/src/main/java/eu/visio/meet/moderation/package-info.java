/** Host moderation acted out through the SFU: mute, remove, roles, raised hands, ending. */
package eu.visio.meet.moderation;
