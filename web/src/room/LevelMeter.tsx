import { useEffect, useRef } from 'react';
import { useI18n } from '../i18n/i18n';

/**
 * How loud the microphone is, as a bar. Drawn through the element's style object (CSSOM), which
 * the CSP allows, unlike style attributes.
 */
export function LevelMeter({ stream }: { stream: MediaStream | null }) {
  const { t } = useI18n();
  const bar = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    const el = bar.current;
    if (!stream || !el || stream.getAudioTracks().length === 0) {
      if (el) {
        el.style.transform = 'scaleX(0)';
      }
      return;
    }
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 512;
    const source = context.createMediaStreamSource(stream);
    source.connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    let frame = 0;
    const draw = () => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const s of samples) {
        sum += s * s;
      }
      // RMS to a 0..1 scale that moves for speech: -60 dBFS is silence, -10 dBFS full.
      const db = 10 * Math.log10(sum / samples.length + 1e-12);
      const level = Math.min(1, Math.max(0, (db + 60) / 50));
      el.style.transform = `scaleX(${level.toFixed(3)})`;
      frame = requestAnimationFrame(draw);
    };
    frame = requestAnimationFrame(draw);
    return () => {
      cancelAnimationFrame(frame);
      source.disconnect();
      void context.close();
    };
  }, [stream]);
  return (
    <span className="level-meter" role="img" aria-label={t('prejoin.level')} data-testid="level-meter">
      <span ref={bar} className="level-meter-bar" />
    </span>
  );
}
