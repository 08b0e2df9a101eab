/**
 * The selection linked between the sound-types map/gallery and the review
 * view: regions chosen on the map are highlighted in the recording's
 * spectrogram, and a region chosen in the review ("Show on map") is
 * highlighted on the map. One small shared store; both sides read and set it.
 */

export interface LinkedRegion {
  /** The clustering member, when the region is one. */
  memberId: number | null;
  recordingId: number;
  startSample: number;
  endSample: number;
}

function createLinkedSelection() {
  let regions = $state<LinkedRegion[]>([]);
  return {
    get regions() { return regions; },
    set(next: readonly LinkedRegion[]): void {
      regions = [...next];
    },
    clear(): void {
      regions = [];
    },
    /** The selected regions of one recording. */
    of(recordingId: number): LinkedRegion[] {
      return regions.filter((r) => r.recordingId === recordingId);
    },
  };
}

export const linkedSelection = createLinkedSelection();
