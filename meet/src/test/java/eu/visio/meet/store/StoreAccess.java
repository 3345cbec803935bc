package eu.visio.meet.store;

import eu.visio.meet.room.User;

/** What the store contracts need from whichever backend runs them (see {@link StoreFixture}). */
interface StoreAccess {
  Database database();

  DatabaseConfig config();

  /** Closes the database and opens it again, as a restarted server does. */
  Database reopen();

  TestClock clock();

  Rooms rooms();

  RoomRoles roles();

  Users users();

  /** A signed-in user called {@code name}. */
  User user(String name);

  /** Runs {@code sql} as is, for checks below the repositories. */
  void execute(String sql);

  /** The first column of the one row {@code sql} returns. */
  long count(String sql);
}
