package eu.visio.loadtest.bot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class IntMapTest {
  @Property
  void behavesLikeAHashMap(@ForAll List<Integer> keys, @ForAll List<Integer> probes) {
    IntMap<String> m = new IntMap<>();
    Map<Integer, String> ref = new HashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      m.put(keys.get(i), "v" + i);
      ref.put(keys.get(i), "v" + i);
    }
    assertThat(m.size()).isEqualTo(ref.size());
    for (int k : keys) {
      assertThat(m.get(k)).isEqualTo(ref.get(k));
    }
    for (int k : probes) {
      assertThat(m.get(k)).isEqualTo(ref.get(k));
    }
  }
}
