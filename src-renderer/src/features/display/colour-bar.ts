/**
 * The spectrogram's dB colour bar: which colour stands for which level, for
 * the current colour map, floor and range (lib/colormap.ts).
 */
import { COLORMAP_INTERPOLATORS, type DisplaySettings } from '../../lib/colormap';

/** A CSS gradient, bottom (floor) to top (floor + range), sampled at `stops` points. */
export function colourBarGradient(settings: DisplaySettings, stops = 16): string {
  const interpolate = COLORMAP_INTERPOLATORS[settings.colormap];
  const parts = Array.from({ length: stops }, (_, i) => {
    const t = i / (stops - 1);
    return `${interpolate(t)} ${Math.round(t * 1000) / 10}%`;
  });
  return `linear-gradient(to top, ${parts.join(', ')})`;
}

/** dB ticks on a bar `height` px high: every 10 or 20 dB inside [floor, floor + range], with their rows (0 = top). */
export function colourBarTicks(settings: Pick<DisplaySettings, 'floorDb' | 'rangeDb'>, height: number): { y: number; db: number }[] {
  const step = settings.rangeDb > 60 ? 20 : settings.rangeDb > 20 ? 10 : 5;
  const top = settings.floorDb + settings.rangeDb;
  const ticks: { y: number; db: number }[] = [];
  for (let db = Math.ceil(settings.floorDb / step) * step; db <= top + 1e-9; db += step) {
    ticks.push({ db, y: height - ((db - settings.floorDb) / settings.rangeDb) * height });
  }
  return ticks;
}
