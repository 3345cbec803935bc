package eu.visio.sfu.alloc;

import java.util.ArrayList;
import java.util.List;

/** Records what a {@link StreamAllocator} reports, in order. */
final class Events implements StreamAllocator.Listener {
  record Target(int handle, int spatial, int temporal) {}

  record State(int handle, boolean active) {}

  final List<Target> targets = new ArrayList<>();
  final List<State> states = new ArrayList<>();

  @Override
  public void onTargetChanged(int handle, int spatial, int temporal) {
    targets.add(new Target(handle, spatial, temporal));
  }

  @Override
  public void onStreamStateChanged(int handle, boolean active) {
    states.add(new State(handle, active));
  }

  void clear() {
    targets.clear();
    states.clear();
  }
}
