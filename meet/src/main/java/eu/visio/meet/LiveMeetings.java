package eu.visio.meet;

import eu.visio.meet.room.Role;
import java.util.Optional;
import livekit.LivekitModels.ParticipantPermission;

/**
 * The meetings in progress, as the meeting service acts on them: the SFU's rooms seen from {@link
 * Meetings}. The room name is {@link Meetings#liveKitRoom}. Implemented over the LiveKit rooms by
 * {@link eu.visio.meet.moderation.Moderation}; tests give their own.
 */
public interface LiveMeetings {
  /**
   * Opens the meeting's room (or keeps it open) with its cap: the SFU then refuses a participant
   * beyond {@code maxParticipants}, whatever token it holds.
   */
  void open(String room, int maxParticipants);

  /** A running meeting's new cap; nothing when it is not running. */
  void limit(String room, int maxParticipants);

  /** Whether {@code identity} is in the meeting now. */
  boolean present(String room, String identity);

  /**
   * The role {@code identity} holds in the meeting (its {@code room_role} attribute, which only the
   * service sets); empty when it is not there.
   */
  Optional<Role> role(String room, String identity);

  /** How many are in the meeting now. */
  int occupancy(String room);

  /**
   * Gives a participant in the meeting a new role and what comes with it; false when it is not
   * there. {@code coHost} marks a role given for this meeting alone (a host may take it back), as
   * opposed to one the room's members hold.
   */
  boolean assign(
      String room, String identity, Role role, boolean coHost, ParticipantPermission permission);

  /**
   * Applies {@code permission} to every participant whose {@code room_role} (set by the service
   * only: participants cannot change their own attributes) is not a host's; tracks of sources it no
   * longer allows stop. How many were changed.
   */
  int permitMembers(String room, ParticipantPermission permission);

  /** Ends the meeting for everyone; false when it was not running. */
  boolean end(String room);

  /** No meeting is ever running (tests of the rules alone). */
  LiveMeetings NONE =
      new LiveMeetings() {
        @Override
        public void open(String room, int maxParticipants) {}

        @Override
        public void limit(String room, int maxParticipants) {}

        @Override
        public boolean present(String room, String identity) {
          return false;
        }

        @Override
        public Optional<Role> role(String room, String identity) {
          return Optional.empty();
        }

        @Override
        public int occupancy(String room) {
          return 0;
        }

        @Override
        public boolean assign(
            String room,
            String identity,
            Role role,
            boolean coHost,
            ParticipantPermission permission) {
          return false;
        }

        @Override
        public int permitMembers(String room, ParticipantPermission permission) {
          return 0;
        }

        @Override
        public boolean end(String room) {
          return false;
        }
      };
}
