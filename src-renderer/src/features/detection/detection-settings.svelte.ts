/**
 * Detection settings of the project (threshold, smoothing, merge gap,
 * minimum length, band, tonal mode) with a live preview on the open recording: every
 * change asks main for the regions those settings give from the cached frame
 * probabilities (nothing is stored), newest request wins. Apply runs a
 * 'detect' job that derives and stores every recording's regions with them.
 */
import type { DetectionBand, DetectionSettings } from '../../../../src-shared/detection-settings';
import type { RegionView } from '../../../../src-shared/review-types';
import { call } from '../../lib/api';
import { errorMessage } from '../../lib/format';

type RegionSettings = DetectionSettings['region'];

export function createDetectionSettings(recordingId: number, now: () => number = () => performance.now()) {
  let stored = $state<DetectionSettings | null>(null);
  let region = $state<RegionSettings | null>(null);
  let band = $state<DetectionBand>({});
  let tonal = $state(false);
  let preview = $state.raw<RegionView[] | null>(null);
  /** Round trip of the last preview (ask → regions back), ms. */
  let previewMs = $state<number | null>(null);
  let error = $state<string | null>(null);
  let applying = $state(false);
  /** "Run on workers" (features/workers): the detect job's audio work on `sonotype worker` processes. */
  let onWorkers = $state(false);
  let generation = 0;
  let inFlight = false;
  let pending = false;

  async function load(): Promise<void> {
    try {
      const s = await call('detection:settings');
      stored = s;
      region = { ...s.region };
      band = { ...s.band };
      tonal = s.tonal;
      error = null;
    } catch (e) {
      error = errorMessage(e);
    }
  }

  /** Asks for the preview of the current settings; while one is on its way, only the newest change follows it. */
  async function refresh(): Promise<void> {
    if (!region) return;
    if (inFlight) {
      pending = true;
      return;
    }
    inFlight = true;
    const mine = ++generation;
    const asked = { ...region };
    const started = now();
    try {
      const regions = await call('detection:previewRegions', recordingId, asked);
      if (mine === generation) {
        // Preview regions are not stored (main sends id 0): negative ids keep them apart from stored ones and each other.
        preview = regions.map((r, i) => ({ ...r, id: -(i + 1) }));
        previewMs = now() - started;
        error = null;
      }
    } catch (e) {
      if (mine === generation) error = errorMessage(e);
    } finally {
      inFlight = false;
      if (pending) {
        pending = false;
        void refresh();
      }
    }
  }

  function change(patch: Partial<RegionSettings>): void {
    if (!region) return;
    region = { ...region, ...patch };
    void refresh();
  }

  function changeBand(next: DetectionBand): void {
    band = next;
  }

  function changeTonal(on: boolean): void {
    tonal = on;
  }

  /** Back to the stored settings and the stored regions. */
  function reset(): void {
    if (stored) {
      region = { ...stored.region };
      band = { ...stored.band };
      tonal = stored.tonal;
    }
    generation++;
    preview = null;
    previewMs = null;
  }

  const tonalChanged = () => stored !== null && stored.tonal !== tonal;
  const bandChanged = () => (stored?.band.lowHz ?? null) !== (band.lowHz ?? null) || (stored?.band.highHz ?? null) !== (band.highHz ?? null);

  /**
   * Stores the band and tonal mode (when changed) and starts a 'detect' job with the region
   * settings; `start` is the jobs store's. Resolves with the job id, or null on failure.
   */
  async function apply(start: (kind: 'detect', params: { regionParams: RegionSettings; onWorkers?: boolean }) => Promise<number>): Promise<number | null> {
    if (!region || applying) return null;
    applying = true;
    error = null;
    try {
      if (bandChanged()) await call('detection:setBand', band);
      if (tonalChanged()) await call('detection:setTonal', tonal);
      const jobId = await start('detect', { regionParams: { ...region }, ...(onWorkers ? { onWorkers } : {}) });
      stored = { region: { ...region }, band: { ...band }, tonal };
      return jobId;
    } catch (e) {
      error = errorMessage(e);
      return null;
    } finally {
      applying = false;
    }
  }

  return {
    load, change, changeBand, changeTonal, reset, apply, refresh,
    get stored() { return stored; },
    get onWorkers() { return onWorkers; },
    set onWorkers(value: boolean) { onWorkers = value; },
    get region() { return region; },
    get band() { return band; },
    get preview() { return preview; },
    get previewMs() { return previewMs; },
    get error() { return error; },
    get applying() { return applying; },
    get bandChanged() { return bandChanged(); },
    get tonal() { return tonal; },
    get tonalChanged() { return tonalChanged(); },
  };
}

export type DetectionSettingsStore = ReturnType<typeof createDetectionSettings>;
