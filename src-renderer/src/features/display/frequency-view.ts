/**
 * Frequency zoom of the spectrogram: which band [lowHz, highHz] of the
 * recording's 0 … Nyquist axis fills the panel. Pure functions shared by the
 * canvas (which tile rows to draw), the frequency axis (ticks, drag to zoom)
 * and the keys.
 *
 * Tile rows: a tile of B bins at bin spacing Δ = Nyquist / B has bin k
 * centred on k·Δ; its image has the highest bin in row 0, so the band
 * [lowHz, highHz] is image rows B − highHz/Δ − ½ … B − lowHz/Δ − ½.
 */

export interface FrequencyView {
  lowHz: number;
  highHz: number;
}

/** The whole axis: 0 Hz to Nyquist. */
export function fullFrequencyView(nyquistHz: number): FrequencyView {
  return { lowHz: 0, highHz: nyquistHz };
}

/** Narrowest band shown: 4 bins (below that one sees single rows stretched). */
export function minimumSpanHz(nyquistHz: number, bins: number): number {
  return (4 * nyquistHz) / Math.max(1, bins);
}

/** The view moved and shrunk as needed to lie inside 0 … Nyquist and be at least the minimum span wide. */
export function clampFrequencyView(view: FrequencyView, nyquistHz: number, bins: number): FrequencyView {
  const span = Math.min(nyquistHz, Math.max(minimumSpanHz(nyquistHz, bins), view.highHz - view.lowHz));
  const centre = (view.lowHz + view.highHz) / 2;
  const low = Math.min(nyquistHz - span, Math.max(0, centre - span / 2));
  return { lowHz: low, highHz: low + span };
}

/** Zoom by `factor` (< 1 narrows the band) keeping `anchorHz` at the same height. */
export function zoomFrequencyView(view: FrequencyView, factor: number, anchorHz: number, nyquistHz: number, bins: number): FrequencyView {
  const span = view.highHz - view.lowHz;
  const at = Math.min(view.highHz, Math.max(view.lowHz, anchorHz));
  const share = span > 0 ? (at - view.lowHz) / span : 0.5;
  const next = Math.min(nyquistHz, Math.max(minimumSpanHz(nyquistHz, bins), span * factor));
  const low = Math.min(nyquistHz - next, Math.max(0, at - share * next));
  return { lowHz: low, highHz: low + next };
}

/** Moves the band by `deltaHz` (positive = up), stopping at 0 and Nyquist. */
export function panFrequencyView(view: FrequencyView, deltaHz: number, nyquistHz: number): FrequencyView {
  const span = view.highHz - view.lowHz;
  const low = Math.min(nyquistHz - span, Math.max(0, view.lowHz + deltaHz));
  return { lowHz: low, highHz: low + span };
}

/** Pixel row (0 = top) of a frequency in a panel `height` pixels high. */
export function frequencyToY(view: FrequencyView, height: number, hz: number): number {
  return ((view.highHz - hz) / (view.highHz - view.lowHz)) * height;
}

/** Frequency at pixel row `y`. */
export function yToFrequency(view: FrequencyView, height: number, y: number): number {
  return view.highHz - (y / height) * (view.highHz - view.lowHz);
}

/**
 * The band between two rows of a drag on the axis, or null for a drag shorter
 * than 4 px (a click). Clamped like any view.
 */
export function viewFromDrag(view: FrequencyView, height: number, y0: number, y1: number, nyquistHz: number, bins: number): FrequencyView | null {
  if (Math.abs(y1 - y0) < 4) return null;
  const a = yToFrequency(view, height, Math.max(0, Math.min(height, y0)));
  const b = yToFrequency(view, height, Math.max(0, Math.min(height, y1)));
  const lowHz = Math.min(a, b);
  const highHz = Math.max(a, b);
  const min = minimumSpanHz(nyquistHz, bins);
  if (highHz - lowHz >= min) return { lowHz, highHz };
  return clampFrequencyView({ lowHz, highHz }, nyquistHz, bins);
}

/** The tile image rows (fractional, row 0 = top) that show `view`. */
export function sourceRows(view: FrequencyView, bins: number, nyquistHz: number): { y: number; height: number } {
  const binHz = nyquistHz / bins;
  return { y: bins - view.highHz / binHz - 0.5, height: (view.highHz - view.lowHz) / binHz };
}

/** True when the view shows the whole axis. */
export function isFullView(view: FrequencyView, nyquistHz: number): boolean {
  return view.lowHz <= 1e-9 && view.highHz >= nyquistHz - 1e-9;
}
