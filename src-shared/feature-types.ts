/**
 * The full, versioned description of how audio becomes model input. It is
 * stored with everything computed from it (windows, embeddings, models), so a
 * model always sees exactly the frequency axis it was trained on.
 */
export interface FeatureConfig {
  /** Bumped whenever the meaning of any field changes. */
  version: 1;
  /** Rate all audio is resampled to before the STFT, in Hz. */
  analysisSampleRate: number;
  /** Zero-based channel analysed in multi-channel files (clamped per file to the channels it has). */
  channel: number;
  /** STFT window length in samples (Hann window). */
  fftSize: number;
  /** STFT hop in samples. */
  hopSize: number;
  /**
   * 'db' (default) = 20·log10(max(A, 1e-8)), 'linear' = A, where A = |X|·2/Σw
   * is the Hann-windowed DFT magnitude scaled so a sine of amplitude 1 at a
   * bin centre reads 1 (0 dB). Digital silence reads −160 dB, never −Infinity.
   */
  magnitude: 'db' | 'linear';
  /**
   * Kept frequency band in Hz: bins k with lowHz <= k·rate/fftSize < highHz.
   * Defaults keep bins 0 … fftSize/2 − 1 (drops Nyquist), i.e. 256 bins for a 512 FFT.
   */
  band: { lowHz: number; highHz: number };
  /** Frames per model window (the seeds' 32). Data layout: data[frame * binCount + bin], bin 0 = lowest frequency. */
  windowFrames: number;
  /** Frames between successive windows (the seeds' 16); at most windowFrames, so no frame is skipped. */
  windowStride: number;
  /** Per-window z-score (seeds: (x − mean)/(std + 1)), per-recording z-score, or none. */
  normalisation: 'window' | 'recording' | 'none';
}

/** One model window mapped back onto the recording's samples. */
export interface WindowSpan {
  index: number;
  /** First STFT frame of the window. */
  startFrame: number;
  /** Sample range in the analysis rate, [start, end). end is clipped to the signal length. */
  startSample: number;
  endSample: number;
  /**
   * Same range in the recording's native rate: the analysis range scaled by
   * nativeRate/analysisRate, widened outwards (floor/ceil), clipped to the file.
   */
  startNativeSample: number;
  endNativeSample: number;
  /** startNativeSample / nativeRate and endNativeSample / nativeRate. */
  startSeconds: number;
  endSeconds: number;
  /** True when the window extends past the last real frame and was zero-padded. */
  padded: boolean;
}

/**
 * Native sample rates analysed at one analysis rate (see
 * src-main/engine/features/rate-groups.ts): 44.1 and 48 kHz files may share
 * 48 kHz, while a 2 kHz file in the same folder keeps its own 2 kHz.
 */
export interface RateGroup {
  analysisSampleRate: number;
  /** Distinct native rates of the group, ascending. */
  nativeRates: number[];
}
