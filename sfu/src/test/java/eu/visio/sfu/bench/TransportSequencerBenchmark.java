package eu.visio.sfu.bench;

import eu.visio.sfu.cc.TransportSequencer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Per packet sent to a subscriber: number it and record it for congestion control. Must not
 * allocate.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TransportSequencerBenchmark {
  private final TransportSequencer sequencer = new TransportSequencer();
  private long now;

  @Benchmark
  public int next() {
    now += 700_000;
    return sequencer.next(now, 1200, false);
  }
}
