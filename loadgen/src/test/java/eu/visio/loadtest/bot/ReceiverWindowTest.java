package eu.visio.loadtest.bot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A receiver fed a publisher's own packets (as a relay without layer selection would forward them)
 * counts each video stream's window: packets by the layer stamped, frames and keyframes.
 */
class ReceiverWindowTest {
  @Test
  void eachVideoStreamCountsItsLayerFramesAndKeyframesInTheWindowOnly() {
    PublisherTest.Capture sent = new PublisherTest.Capture();
    Publisher p = new Publisher(7, MediaConfig.audioVideo(), sent, Publisher.ssrcBase(7));
    long t0 = System.nanoTime();
    for (long t = t0; t < t0 + 2_000_000_000L; t += 1_000_000L) {
      p.tick(t);
    }
    try (BotLoop loop = new BotLoop("receiver-window-test")) {
      Receiver r = new Receiver(new PublisherTest.Capture(), false, loop);
      int half = sent.rtp.size() / 2;
      for (int i = 0; i < half; i++) { // before the window: the keyframes that start each layer
        byte[] b = sent.rtp.get(i);
        r.onRtp(b, 0, b.length, t0);
      }
      loop.startWindow(); // no bots: only the measuring flag (this thread stands in for the loop)
      r.startWindow();
      long[] totals = new long[8];
      for (int i = half; i < sent.rtp.size(); i++) {
        byte[] b = sent.rtp.get(i);
        r.onRtp(b, 0, b.length, t0);
      }
      r.addWindow(totals);
      List<VideoWindow> windows = new ArrayList<>();
      r.addVideoWindows("sub-1", windows);

      assertThat(windows).hasSize(3).allMatch(w -> w.subscriber().equals("sub-1"));
      assertThat(windows).allMatch(w -> w.publisher() == 7);
      long[] byLayer = new long[3];
      for (VideoWindow w : windows) {
        long[] l = w.layerPackets();
        int layer = l[0] > 0 ? 0 : l[1] > 0 ? 1 : 2;
        assertThat(l).as("one simulcast layer per SSRC").containsOnlyOnce(l[layer]);
        byLayer[layer] += l[layer];
        // About a second of 30 fps, with the periodic keyframe (every 90 frames) at most once.
        assertThat(w.frames()).as("frames of layer %d", layer).isBetween(28L, 32L);
        assertThat(w.keyframes()).as("keyframes of layer %d", layer).isBetween(0L, 1L);
      }
      // The window's video packets are the receiver's per-layer totals, stream by stream.
      assertThat(byLayer).containsExactly(totals[4], totals[5], totals[6]);
      assertThat(byLayer[2]).isGreaterThan(byLayer[1]).isGreaterThan(byLayer[0]).isPositive();
    }
  }

  @Test
  void aKeyframeInTheWindowIsCounted() {
    PublisherTest.Capture sent = new PublisherTest.Capture();
    Publisher p = new Publisher(3, MediaConfig.audioVideo(), sent, Publisher.ssrcBase(3));
    long t0 = System.nanoTime();
    for (long t = t0; t < t0 + 500_000_000L; t += 1_000_000L) {
      p.tick(t);
    }
    try (BotLoop loop = new BotLoop("receiver-window-test")) {
      Receiver r = new Receiver(new PublisherTest.Capture(), false, loop);
      loop.startWindow();
      r.startWindow();
      for (byte[] b : sent.rtp) { // the streams start with their keyframes, inside the window
        r.onRtp(b, 0, b.length, t0);
      }
      List<VideoWindow> windows = new ArrayList<>();
      r.addVideoWindows("sub-2", windows);
      assertThat(windows).hasSize(3).allMatch(w -> w.keyframes() == 1 && w.publisher() == 3);
    }
  }
}
