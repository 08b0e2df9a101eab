/**
 * Display and listening state of one review: the project's display
 * preferences (spectrogram FFT size / window / overlap, playback gain, DC
 * removal; stored in the project by main) and this view's frequency zoom.
 * Kept apart from the review store: it is about how the recording looks and
 * sounds, not about labels.
 */
import {
  DEFAULT_DISPLAY_PREFERENCES, listeningQuery, type DisplayPreferences, type DisplaySpectrogramSettings,
} from '../../../../src-shared/display-types';
import type { SpectrogramInfo } from '../../../../src-shared/review-types';
import { call } from '../../lib/api';
import {
  clampFrequencyView, fullFrequencyView, panFrequencyView, sourceRows, zoomFrequencyView, type FrequencyView,
} from './frequency-view';

/** Frequency zoom steps of the keys: ×½ / ×2 of the band, pan by a quarter of it. */
const KEY_ZOOM = 0.5;
const KEY_PAN = 0.25;

export class DisplaySession {
  prefs = $state<DisplayPreferences>({ ...DEFAULT_DISPLAY_PREFERENCES });
  /** The band shown (0 Hz … Nyquist until zoomed). */
  frequency = $state<FrequencyView>({ lowHz: 0, highHz: 1 });
  /** True while new spectrogram settings are being applied. */
  applying = $state(false);
  private nyquistHz = 1;
  private bins = 1;

  constructor(readonly recordingId: number) {}

  /** Reads the stored preferences (defaults when that fails: the view must open anyway). */
  async load(): Promise<void> {
    try {
      this.prefs = await call('display:get');
    } catch {
      this.prefs = { ...DEFAULT_DISPLAY_PREFERENCES };
    }
  }

  /** Adopts a recording's spectrogram axis; a zoom carries over when it still fits (after new FFT settings). */
  setAxis(info: Pick<SpectrogramInfo, 'nyquistHz' | 'binCount'>, keepZoom = false): void {
    this.nyquistHz = info.nyquistHz;
    this.bins = info.binCount;
    this.frequency = keepZoom ? clampFrequencyView(this.frequency, info.nyquistHz, info.binCount) : fullFrequencyView(info.nyquistHz);
  }

  setFrequency(view: FrequencyView): void {
    this.frequency = clampFrequencyView(view, this.nyquistHz, this.bins);
  }

  zoomFrequency(direction: 'in' | 'out'): void {
    const centre = (this.frequency.lowHz + this.frequency.highHz) / 2;
    this.frequency = zoomFrequencyView(this.frequency, direction === 'in' ? KEY_ZOOM : 1 / KEY_ZOOM, centre, this.nyquistHz, this.bins);
  }

  panFrequency(direction: 'up' | 'down'): void {
    const step = (this.frequency.highHz - this.frequency.lowHz) * KEY_PAN;
    this.frequency = panFrequencyView(this.frequency, direction === 'up' ? step : -step, this.nyquistHz);
  }

  wholeFrequency(): void {
    this.frequency = fullFrequencyView(this.nyquistHz);
  }

  /** Tile rows of the band for a tile of `bins` bins (what the canvas draws). */
  readonly band = (bins: number): { y: number; height: number } => sourceRows(this.frequency, bins, this.nyquistHz);

  /**
   * Stores new spectrogram settings and returns this recording's paging info
   * under them (the caller restarts its tiles); null when it failed (`onError` told why).
   */
  async applySpectrogram(settings: DisplaySpectrogramSettings, onError: (e: unknown) => void): Promise<SpectrogramInfo | null> {
    this.applying = true;
    try {
      this.prefs = await call('display:set', { spectrogram: settings });
      return await call('display:spectrogramInfo', this.recordingId);
    } catch (e) {
      onError(e);
      return null;
    } finally {
      this.applying = false;
    }
  }

  /** Stores a new gain / DC choice; resolves once saved (the caller reloads the audio). */
  async applyListening(patch: { playbackGainDb?: number; removeDc?: boolean }, onError: (e: unknown) => void): Promise<boolean> {
    const before = this.prefs;
    this.prefs = { ...this.prefs, ...patch };
    try {
      this.prefs = await call('display:set', patch);
      return true;
    } catch (e) {
      this.prefs = before;
      onError(e);
      return false;
    }
  }

  /** The audio route's listening parameters for the current preferences. */
  readonly listening = (): string => listeningQuery(this.prefs);
}
