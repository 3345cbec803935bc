import { loadRnnoise, RnnoiseWorkletNode } from '@sapphi-red/web-noise-suppressor';
import workletUrl from '@sapphi-red/web-noise-suppressor/rnnoiseWorklet.js?url';
import wasmUrl from '@sapphi-red/web-noise-suppressor/rnnoise.wasm?url';
import simdUrl from '@sapphi-red/web-noise-suppressor/rnnoise_simd.wasm?url';
import type { AudioProcessorOptions, Track, TrackProcessor } from 'livekit-client';

/** RNNoise works on 48 kHz frames; a context of its own avoids resampling inside the model. */
const SAMPLE_RATE = 48000;

let wasm: Promise<ArrayBuffer> | null = null;

/** The RNNoise binary (SIMD when the browser has it), fetched once from our origin. */
function rnnoiseBinary(): Promise<ArrayBuffer> {
  if (!wasm) {
    wasm = loadRnnoise({ url: wasmUrl, simdUrl });
    wasm.catch(() => {
      wasm = null;
    });
  }
  return wasm;
}

/**
 * The microphone through RNNoise (a small recurrent network, in wasm, in an AudioWorklet), on top
 * of the browser's own noise suppression: microphone → worklet → a MediaStream destination whose
 * track livekit-client sends instead ({@code LocalAudioTrack.setProcessor}). Both the worklet and
 * the wasm are files of our build (Vite emits them from the npm package), never a CDN's.
 */
export class NoiseSuppressor implements TrackProcessor<Track.Kind.Audio, AudioProcessorOptions> {
  readonly name = 'visio-rnnoise';
  processedTrack?: MediaStreamTrack;

  private context: AudioContext | null = null;
  private node: RnnoiseWorkletNode | null = null;
  private source: MediaStreamAudioSourceNode | null = null;

  async init({ track }: AudioProcessorOptions): Promise<void> {
    const context = new AudioContext({ sampleRate: SAMPLE_RATE, latencyHint: 'interactive' });
    try {
      const [wasmBinary] = await Promise.all([
        rnnoiseBinary(),
        context.audioWorklet.addModule(workletUrl),
      ]);
      const node = new RnnoiseWorkletNode(context, { maxChannels: 1, wasmBinary });
      const destination = context.createMediaStreamDestination();
      node.connect(destination);
      this.source = context.createMediaStreamSource(new MediaStream([track]));
      this.source.connect(node);
      // Created after a click (join, or the toggle) the context runs; resume in case it did not.
      await context.resume();
      this.context = context;
      this.node = node;
      this.processedTrack = destination.stream.getAudioTracks()[0];
    } catch (e) {
      void context.close();
      throw e;
    }
  }

  /** A new microphone (device switch): same worklet, same processed track, new source. */
  async restart(options: AudioProcessorOptions): Promise<void> {
    if (!this.context || !this.node) {
      await this.init(options);
      return;
    }
    this.source?.disconnect();
    this.source = this.context.createMediaStreamSource(new MediaStream([options.track]));
    this.source.connect(this.node);
  }

  async destroy(): Promise<void> {
    this.source?.disconnect();
    this.source = null;
    this.node?.destroy();
    this.node = null;
    this.processedTrack?.stop();
    this.processedTrack = undefined;
    await this.context?.close().catch(() => undefined);
    this.context = null;
  }
}
