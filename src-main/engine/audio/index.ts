/**
 * Audio ingest: finding, identifying, hashing and streaming-decoding
 * recordings (WAV/RF64 natively; FLAC, MP3, Ogg Vorbis/Opus via WebAssembly;
 * M4A/AAC and others via ffmpeg).
 */
export { probeAudio } from './probe';
export { readAudioBlocks, DEFAULT_BLOCK_FRAMES, type ReadBlocksOptions } from './read-blocks';
export { hashFile } from './hash';
export { listAudioFiles, scanFolder, type ScannedFile, type ScanOptions } from './scan';
export { findFfmpeg } from './ffmpeg-locate';
export { SUPPORTED_EXTENSIONS } from './formats';
export { readAudioRange, openAudioRangeReader, type AudioRangeReader, type ReadRangeOptions } from './read-range';
export { streamAudioRange, hasExactRandomAccess } from './range-blocks';
