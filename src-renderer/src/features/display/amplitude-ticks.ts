/**
 * The waveform's amplitude axis. The waveform is drawn with a fixed vertical
 * gain per recording (amplitude a at height h/2 − a·scale·h/2, full scale = 1),
 * so quiet hydrophone files fill the panel; the axis says what the panel's
 * edge stands for, in full-scale units and in dBFS.
 */

export interface AmplitudeTick {
  /** Pixel row, 0 = top. */
  y: number;
  value: number;
  label: string;
}

/** The largest 1, 2 or 5 × 10^k not above x (x > 0). */
export function niceFloor(x: number): number {
  const p = 10 ** Math.floor(Math.log10(x));
  const m = x / p;
  return (m >= 5 ? 5 : m >= 2 ? 2 : 1) * p;
}

/** A full-scale amplitude as text: 0.5, 0.02, 2e-4. */
export function formatAmplitude(a: number): string {
  if (a === 0) return '0';
  const abs = Math.abs(a);
  const text = abs >= 0.01 ? String(Number(abs.toPrecision(2))) : abs.toExponential(0);
  return `${a < 0 ? '−' : '+'}${text}`;
}

/** dBFS of a full-scale amplitude (−∞ shown as −Infinity). */
export function amplitudeDbfs(a: number): number {
  return 20 * Math.log10(Math.abs(a));
}

/** Ticks for a panel `height` px high drawn at `scale`: 0 and ±the nicest amplitude inside the panel (and its half when tall). */
export function amplitudeTicks(scale: number, height: number): AmplitudeTick[] {
  const edge = 1 / scale; // the amplitude at the panel's top and bottom
  const a = niceFloor(edge * 0.85); // a little inside the edge, so its label does not touch the panel above
  const values = height >= 120 ? [a, a / 2, 0, -a / 2, -a] : [a, 0, -a];
  return values.map((value) => ({ y: height / 2 - (value * scale * height) / 2, value, label: formatAmplitude(value) }));
}
