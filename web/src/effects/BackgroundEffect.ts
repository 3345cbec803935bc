import type { Track, TrackProcessor, VideoProcessorOptions } from 'livekit-client';
import { backgroundUrl, type Background } from './settings';
import { segmenter, type Segmentation, type Segmenter } from './segmenter';

/** Blur radius in CSS pixels at 720p; scaled with the frame height. */
const BLUR_AT_720 = 14;

/** Chromium's insertable streams: frames of a track without a video element or a timer. */
declare class MediaStreamTrackProcessor {
  constructor(init: { track: MediaStreamTrack; maxBufferSize?: number });
  readonly readable: ReadableStream<VideoFrame>;
}

/**
 * A camera track with its background blurred or replaced: each frame is segmented (see
 * {@link segmenter}) and composited on a canvas whose captured stream is the processed track.
 * livekit-client publishes that track instead of the camera's ({@code LocalVideoTrack.setProcessor})
 * and the pre-join preview shows it. Until the segmenter is ready nothing is shown rather than the
 * raw camera: someone who asked for a blur did not want their room seen.
 */
export class BackgroundEffect implements TrackProcessor<Track.Kind.Video> {
  readonly name = 'visio-background';
  processedTrack?: MediaStreamTrack;

  private background: Background;
  private picture: HTMLImageElement | null = null;
  private readonly input = document.createElement('canvas');
  private readonly output = document.createElement('canvas');
  private stopFrames: (() => void) | null = null;

  constructor(background: Background) {
    this.background = background;
  }

  async init({ track }: VideoProcessorOptions): Promise<void> {
    const model = await segmenter();
    await this.loadPicture();
    this.start(track, model);
  }

  async restart(options: VideoProcessorOptions): Promise<void> {
    this.stop();
    await this.init(options);
  }

  async destroy(): Promise<void> {
    this.stop();
    this.processedTrack?.stop();
    this.processedTrack = undefined;
  }

  /** Switches the effect in place: the published track stays the same. */
  async setBackground(background: Background): Promise<void> {
    this.background = background;
    await this.loadPicture();
  }

  private async loadPicture(): Promise<void> {
    const b = this.background;
    if (b.kind !== 'image') {
      this.picture = null;
      return;
    }
    const img = new Image();
    img.src = backgroundUrl(b.id);
    await img.decode();
    if (this.background === b) {
      this.picture = img;
    }
  }

  private start(track: MediaStreamTrack, model: Segmenter): void {
    const settings = track.getSettings();
    this.output.width = settings.width ?? 640;
    this.output.height = settings.height ?? 360;
    if (!this.processedTrack || this.processedTrack.readyState === 'ended') {
      this.processedTrack = this.output.captureStream().getVideoTracks()[0];
    }
    const frame = (source: CanvasImageSource, width: number, height: number) => {
      this.input.width = width;
      this.input.height = height;
      this.input.getContext('2d')!.drawImage(source, 0, 0, width, height);
    };
    const each = () => model.run(this.input, (r) => this.composite(r));
    this.stopFrames =
      typeof MediaStreamTrackProcessor !== 'undefined'
        ? readFrames(track, frame, each)
        : playFrames(track, frame, each);
  }

  private stop(): void {
    this.stopFrames?.();
    this.stopFrames = null;
  }

  private composite({ segmentationMask }: Segmentation): void {
    const { width, height } = this.input;
    if (this.output.width !== width || this.output.height !== height) {
      this.output.width = width;
      this.output.height = height;
    }
    const ctx = this.output.getContext('2d')!;
    // The person: the mask's alpha, filled with the frame.
    ctx.globalCompositeOperation = 'copy';
    ctx.filter = 'none';
    ctx.drawImage(segmentationMask, 0, 0, width, height);
    ctx.globalCompositeOperation = 'source-in';
    ctx.drawImage(this.input, 0, 0);
    // Behind it, the background.
    ctx.globalCompositeOperation = 'destination-over';
    const b = this.background;
    if (b.kind === 'blur') {
      ctx.filter = `blur(${Math.max(4, Math.round((BLUR_AT_720 * height) / 720))}px)`;
      ctx.drawImage(this.input, 0, 0);
      ctx.filter = 'none';
    } else if (b.kind === 'image' && this.picture) {
      drawCover(ctx, this.picture, width, height);
    }
    // Under everything, the frame itself: it shows only where a blur thins out at the edges, or
    // when the effect is "none" (kept as a processor while switching, with no visible change).
    ctx.drawImage(this.input, 0, 0);
    ctx.globalCompositeOperation = 'source-over';
  }
}

/** Draws {@code img} to fill {@code width}×{@code height}, cropped, keeping its proportions. */
function drawCover(ctx: CanvasRenderingContext2D, img: HTMLImageElement, width: number, height: number) {
  const scale = Math.max(width / img.naturalWidth, height / img.naturalHeight);
  const w = img.naturalWidth * scale;
  const h = img.naturalHeight * scale;
  ctx.drawImage(img, (width - w) / 2, (height - h) / 2, w, h);
}

type FrameSink = (source: CanvasImageSource, width: number, height: number) => void;

/**
 * Chromium: reads the track's frames as they come, segmenting one at a time; frames that arrive
 * meanwhile are dropped by the processor's one-frame buffer, so a slow machine gets a lower frame
 * rate, not a growing delay.
 */
function readFrames(track: MediaStreamTrack, sink: FrameSink, each: () => Promise<void>): () => void {
  const reader = new MediaStreamTrackProcessor({ track, maxBufferSize: 1 }).readable.getReader();
  let live = true;
  void (async () => {
    while (live) {
      const { value, done } = await reader.read();
      if (done || !value) {
        return;
      }
      try {
        sink(value, value.displayWidth, value.displayHeight);
      } finally {
        value.close();
      }
      await each().catch(() => undefined);
    }
  })().catch(() => undefined);
  return () => {
    live = false;
    void reader.cancel().catch(() => undefined);
  };
}

/** Other browsers: a detached video element, sampled once per animation frame. */
function playFrames(track: MediaStreamTrack, sink: FrameSink, each: () => Promise<void>): () => void {
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = new MediaStream([track]);
  void video.play().catch(() => undefined);
  let live = true;
  const tick = async () => {
    if (!live) {
      return;
    }
    if (video.videoWidth > 0) {
      sink(video, video.videoWidth, video.videoHeight);
      await each().catch(() => undefined);
    }
    requestAnimationFrame(() => void tick());
  };
  void tick();
  return () => {
    live = false;
    video.srcObject = null;
  };
}
