/**
 * Deterministic synthetic bioacoustic signals for tests and benchmarks.
 * Every generator returns mono Float32 samples in [-1, 1] and is seeded, so a
 * failing test reproduces exactly.
 */

import { createRng } from '../util/random';

// Re-exported: tests have always taken the seeded RNG from here.
export { createRng };

/** Standard normal samples via Box–Muller. */
export function gaussian(rng: () => number): number {
  const u = Math.max(rng(), 1e-12);
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export interface WhistleOptions {
  sampleRate: number;
  durationSeconds: number;
  /** Start and end of the FM sweep in Hz (dolphin whistles: 5–20 kHz). */
  startHz?: number;
  endHz?: number;
  /** Sinusoidal vibrato depth (Hz) and rate (Hz) on top of the sweep. */
  vibratoHz?: number;
  vibratoRate?: number;
  amplitude?: number;
}

/** Frequency-modulated tonal whistle with raised-cosine on/off ramps. */
export function fmWhistle(o: WhistleOptions): Float32Array {
  const n = Math.round(o.durationSeconds * o.sampleRate);
  const out = new Float32Array(n);
  const f0 = o.startHz ?? 8000;
  const f1 = o.endHz ?? 14000;
  const vib = o.vibratoHz ?? 500;
  const vibRate = o.vibratoRate ?? 6;
  const amp = o.amplitude ?? 0.5;
  const ramp = Math.min(Math.round(0.01 * o.sampleRate), Math.floor(n / 2));
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const t = i / o.sampleRate;
    const f = f0 + ((f1 - f0) * i) / Math.max(1, n - 1) + vib * Math.sin(2 * Math.PI * vibRate * t);
    phase += (2 * Math.PI * f) / o.sampleRate;
    let env = 1;
    if (i < ramp) env = 0.5 - 0.5 * Math.cos((Math.PI * i) / ramp);
    else if (i >= n - ramp) env = 0.5 - 0.5 * Math.cos((Math.PI * (n - 1 - i)) / ramp);
    out[i] = amp * env * Math.sin(phase);
  }
  return out;
}

export interface ClickTrainOptions {
  sampleRate: number;
  durationSeconds: number;
  /** Clicks per second (echolocation: 10–500). */
  clickRate?: number;
  /** Centre frequency of each click in Hz (clamped below Nyquist). */
  centreHz?: number;
  amplitude?: number;
  seed?: number;
}

/** Train of short Gabor clicks with slightly jittered intervals. */
export function clickTrain(o: ClickTrainOptions): Float32Array {
  const n = Math.round(o.durationSeconds * o.sampleRate);
  const out = new Float32Array(n);
  const rng = createRng(o.seed ?? 7);
  const rate = o.clickRate ?? 40;
  const fc = Math.min(o.centreHz ?? 30000, 0.4 * o.sampleRate);
  const amp = o.amplitude ?? 0.8;
  const sigma = 3 / fc; // a few cycles long
  const half = Math.ceil(4 * sigma * o.sampleRate);
  let t = 0.5 / rate;
  while (t < o.durationSeconds) {
    const c = Math.round(t * o.sampleRate);
    for (let k = -half; k <= half; k++) {
      const i = c + k;
      if (i < 0 || i >= n) continue;
      const dt = k / o.sampleRate;
      out[i] += amp * Math.exp(-(dt * dt) / (2 * sigma * sigma)) * Math.cos(2 * Math.PI * fc * dt);
    }
    t += (1 / rate) * (0.85 + 0.3 * rng());
  }
  return out;
}

/** Burst pulse: a click train so fast (300–1000 clicks/s) it sounds tonal. */
export function burstPulse(o: Omit<ClickTrainOptions, 'clickRate'> & { clickRate?: number }): Float32Array {
  return clickTrain({ ...o, clickRate: o.clickRate ?? 600, centreHz: o.centreHz ?? 12000 });
}

/** White Gaussian noise at the given RMS level. */
export function whiteNoise(sampleRate: number, durationSeconds: number, rms = 0.01, seed = 3): Float32Array {
  const n = Math.round(durationSeconds * sampleRate);
  const out = new Float32Array(n);
  const rng = createRng(seed);
  for (let i = 0; i < n; i++) out[i] = rms * gaussian(rng);
  return out;
}

/** Exact digital zeros (as recorders write before the first buffer). */
export function digitalSilence(sampleRate: number, durationSeconds: number): Float32Array {
  return new Float32Array(Math.round(durationSeconds * sampleRate));
}

/** Pure sine, for spectral tests. */
export function sine(sampleRate: number, durationSeconds: number, hz: number, amplitude = 0.5, phase = 0): Float32Array {
  const n = Math.round(durationSeconds * sampleRate);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = amplitude * Math.sin((2 * Math.PI * hz * i) / sampleRate + phase);
  return out;
}

/** Sum signals into a copy of `base` starting at `atSeconds` (clipped to base). */
export function mixAt(base: Float32Array, signal: Float32Array, sampleRate: number, atSeconds: number): Float32Array {
  const out = base.slice();
  const start = Math.round(atSeconds * sampleRate);
  for (let i = 0; i < signal.length && start + i < out.length; i++) if (start + i >= 0) out[start + i] += signal[i];
  return out;
}

/** Concatenate segments end to end. */
export function concat(...parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export interface SceneSegment {
  kind: 'silence' | 'whistle' | 'clicks' | 'burst';
  startSeconds: number;
  endSeconds: number;
}

/**
 * A labelled scene: background noise with whistles, click trains and burst
 * pulses at known times, for detection tests with ground truth.
 */
export function synthScene(
  sampleRate: number,
  segments: SceneSegment[],
  totalSeconds: number,
  noiseRms = 0.002,
  seed = 11,
): Float32Array {
  let out = whiteNoise(sampleRate, totalSeconds, noiseRms, seed);
  for (const [i, s] of segments.entries()) {
    const d = s.endSeconds - s.startSeconds;
    if (s.kind === 'silence') continue;
    const sig =
      s.kind === 'whistle'
        ? fmWhistle({ sampleRate, durationSeconds: d, startHz: Math.min(6000, sampleRate * 0.2), endHz: Math.min(14000, sampleRate * 0.4) })
        : s.kind === 'clicks'
          ? clickTrain({ sampleRate, durationSeconds: d, seed: seed + i })
          : burstPulse({ sampleRate, durationSeconds: d, seed: seed + i });
    out = mixAt(out, sig, sampleRate, s.startSeconds);
  }
  return out;
}
