/**
 * MediaPipe's selfie segmentation (the "solutions" build from the npm package
 * {@code @mediapipe/selfie_segmentation}, Apache-2.0): a wasm graph and a .tflite model that tell,
 * for each pixel of a frame, whether it belongs to the person. Every file it loads is copied from
 * node_modules into our build (vite.config.ts) and served by our server under {@link BASE}: the
 * package's own default would fetch them from a CDN.
 *
 * The package is a Closure-compiled classic script that defines a global rather than an ES module
 * (bundling it breaks it), so it is loaded with a script element from our origin, which the CSP's
 * script-src 'self' allows.
 */
export const BASE = '/effects/selfie/';

/** What a segmentation hands back; both images are valid only inside the callback. */
export interface Segmentation {
  image: CanvasImageSource;
  /** Opaque where the person is, transparent elsewhere (alpha is the model's confidence). */
  segmentationMask: CanvasImageSource;
}

interface Solution {
  initialize(): Promise<void>;
  setOptions(options: { modelSelection?: number; selfieMode?: boolean }): void;
  onResults(listener: (results: Segmentation) => void): void;
  send(inputs: { image: HTMLCanvasElement }): Promise<void>;
}

type SolutionClass = new (config: { locateFile: (file: string) => string }) => Solution;

/**
 * One solution for the whole page (its wasm is 6 MB and its graph owns a WebGL context), shared by
 * the pre-join preview and the meeting; frames from both are segmented one at a time.
 */
export class Segmenter {
  private listener: ((results: Segmentation) => void) | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly solution: Solution) {
    solution.onResults((results) => this.listener?.(results));
  }

  /** Segments {@code image} and calls {@code use} with the result before resolving. */
  run(image: HTMLCanvasElement, use: (results: Segmentation) => void): Promise<void> {
    const turn = this.queue.then(async () => {
      this.listener = use;
      try {
        await this.solution.send({ image });
      } finally {
        this.listener = null;
      }
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }
}

let loading: Promise<Segmenter> | null = null;

function loadScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.async = true;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error('could not load ' + src));
    document.head.appendChild(script);
  });
}

/** The page's segmenter, loaded (script, wasm, model) and warmed up on first use. */
export function segmenter(): Promise<Segmenter> {
  if (!loading) {
    loading = (async () => {
      // The solution runs on WebGL and, without it, stops the page with an alert(): ask first.
      const probe = document.createElement('canvas');
      if (!probe.getContext('webgl2') && !probe.getContext('webgl')) {
        throw new Error('WebGL is not available');
      }
      if (typeof WebAssembly !== 'object') {
        throw new Error('WebAssembly is not available');
      }
      await loadScript(BASE + 'selfie_segmentation.js');
      const Solution = (window as unknown as { SelfieSegmentation?: SolutionClass }).SelfieSegmentation;
      if (!Solution) {
        throw new Error('selfie segmentation did not load');
      }
      const solution = new Solution({ locateFile: (file) => BASE + file });
      // The landscape model (144×256) is the one made for video calls: faster, same quality.
      solution.setOptions({ modelSelection: 1, selfieMode: false });
      await solution.initialize();
      return new Segmenter(solution);
    })();
    // A failure (no WebGL, wasm refused) is not cached: the user may try again.
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}
