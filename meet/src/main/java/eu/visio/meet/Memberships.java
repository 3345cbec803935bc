package eu.visio.meet;

import eu.visio.meet.room.Role;
import eu.visio.meet.room.Room;
import eu.visio.meet.room.RoomRole;
import eu.visio.meet.room.User;
import eu.visio.meet.store.RoomRoles;
import eu.visio.meet.store.Users;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Who has a stored role on a room (owner, administrator, member), and who may change it. The rules
 * are La Suite Meet's resource accesses:
 *
 * <ul>
 *   <li>hosts (owners and administrators) see the members and give or take roles;
 *   <li>only an owner makes someone an owner, or changes or takes away an owner's role;
 *   <li>anyone may give up their own role; the last owner may not (the store holds that one);
 *   <li>a role goes to an account, named by its address: someone who never signed in has none yet.
 * </ul>
 *
 * <p>Co-hosts named during a meeting are not members: see {@link Meetings#promote}.
 */
public final class Memberships {
  /** One member of a room. */
  public record Member(UUID user, String email, String name, Role role, Instant grantedAt) {}

  private final Meetings meetings;
  private final RoomRoles roles;
  private final Users users;

  public Memberships(Meetings meetings, RoomRoles roles, Users users) {
    this.meetings = meetings;
    this.roles = roles;
    this.users = users;
  }

  /** The room's members, in the order they got their role; hosts only. */
  public List<Member> list(String code, Meetings.Caller host) {
    Room room = meetings.hosted(code, host);
    return roles.list(room.id()).stream().map(this::member).toList();
  }

  /** A host gives the account behind {@code email} a role on the room. */
  public Member grant(String code, Meetings.Caller host, String email, Role role) {
    Room room = meetings.hosted(code, host);
    List<User> found = users.findByEmail(email);
    if (found.isEmpty()) {
      throw new Meetings.MeetingException(
          "NOT_FOUND", "no account with that address: they must sign in once first");
    }
    if (found.size() > 1) {
      throw new Meetings.MeetingException(
          "CONFLICT", "several accounts share that address; ask the person to change theirs");
    }
    User user = found.getFirst();
    Optional<Role> current = roles.roleOf(room.id(), user.id());
    requireMayChange(room, host, role, current);
    return member(roles.grant(room.id(), user.id(), role));
  }

  /** Takes {@code user}'s role away: a host's decision, or one's own. */
  public void revoke(String code, Meetings.Caller caller, UUID user) {
    Room room = meetings.find(code);
    boolean self = caller.userId().map(user::equals).orElse(false);
    if (!self) {
      if (!meetings.isHost(room, caller)) {
        throw new Meetings.MeetingException("FORBIDDEN", "only the room's hosts may do this");
      }
      Optional<Role> current = roles.roleOf(room.id(), user);
      if (current.isEmpty()) {
        throw new Meetings.MeetingException("NOT_FOUND", "no such member");
      }
      requireMayChange(room, caller, Role.MEMBER, current);
    }
    roles.revoke(room.id(), user);
  }

  /** Only an owner touches the owner role, given or taken. */
  private void requireMayChange(
      Room room, Meetings.Caller host, Role wanted, Optional<Role> current) {
    boolean ownerInvolved = wanted == Role.OWNER || current.orElse(null) == Role.OWNER;
    if (ownerInvolved
        && host.userId().flatMap(u -> roles.roleOf(room.id(), u)).orElse(null) != Role.OWNER) {
      throw new Meetings.MeetingException(
          "FORBIDDEN", "only an owner may give or change ownership");
    }
  }

  private Member member(RoomRole r) {
    Optional<User> u = users.find(r.userId());
    return new Member(
        r.userId(),
        u.map(User::email).orElse(""),
        u.map(User::fullName).orElse(""),
        r.role(),
        r.grantedAt());
  }
}
