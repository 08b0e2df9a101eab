/**
 * cluster-wav: one WAV per sound type or cluster (cluster-items.ts says which sounds) with its members joined by
 * 0.1 s of silence at the recordings' rate, so a researcher can listen to a
 * whole class at once, plus `cluster_index.csv` saying where every member
 * came from. The index uses the original Java labeller's columns first
 * (offset, annotation, source_file, source_start, source_stop; samples), so
 * it can be imported back as labels.
 *
 * Audio is the project's analysed channel, written as 32-bit float (no
 * clipping, no requantisation of 16/24-bit sources). A group whose members
 * have different sample rates is written once per rate (`<group>_<rate>Hz.wav`).
 */
import { mkdir, open, rename } from 'node:fs/promises';
import path from 'node:path';
import { csvFormatRows } from 'd3-dsv';
import { openAudioRangeReader, type AudioRangeReader } from '../audio/read-range';
import { monoWavHeader } from '../tiles/wav-response';
import { throwIfAborted } from '../audio/fs-errors';
import { formatHz, formatSeconds } from './export-labels';

export const CLUSTER_GAP_SECONDS = 0.1;
export const CLUSTER_INDEX_FILE = 'cluster_index.csv';
const READ_BLOCK_FRAMES = 1 << 18;

/** One sound to write into its group's WAV. */
export interface ClusterItem {
  recordingPath: string;
  sampleRate: number;
  startSample: number;
  endSample: number;
  /** Sound type or cluster name: the WAV it goes into. */
  group: string;
  lowHz: number | null;
  highHz: number | null;
  /** The label it came from (null for a cluster member no label matches). */
  labelId: number | null;
}

export interface ClusterWavResult {
  files: string[];
  groups: number;
  members: number;
}

/** Writes the group WAVs and the index into `outDir`; `resolvePath` gives a recording's absolute path. */
export async function writeClusterWavs(
  items: readonly ClusterItem[],
  outDir: string,
  options: {
    channel: number;
    resolvePath: (relPath: string) => string;
    signal?: AbortSignal;
    /** Called with every file name before the first is written (may throw to stop the export). */
    beforeWriting?: (files: string[]) => void;
    /** Sounds written so far of all. */
    onProgress?: (done: number, total: number) => void;
  },
): Promise<ClusterWavResult> {
  const groups = new Map<string, ClusterItem[]>();
  for (const item of items) {
    const key = `${item.group}\u0000${item.sampleRate}`;
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  const ratesPerGroup = new Map<string, number>();
  for (const key of groups.keys()) ratesPerGroup.set(key.split('\u0000')[0], (ratesPerGroup.get(key.split('\u0000')[0]) ?? 0) + 1);
  const names = new FileNames();
  const planned = [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, members]) => {
    const [group, rateText] = key.split('\u0000');
    const rate = Number(rateText);
    return { group, rate, members, fileName: names.take(group, (ratesPerGroup.get(group) ?? 1) > 1 ? `_${rate}Hz` : '') };
  });
  options.beforeWriting?.([...planned.map((p) => p.fileName), CLUSTER_INDEX_FILE]);
  await mkdir(outDir, { recursive: true });
  const files: string[] = [];
  const index: string[][] = [];
  const readers = new Map<string, AudioRangeReader>();
  try {
    for (const { group, rate, members, fileName } of planned) {
      const rows = await writeGroup(path.join(outDir, fileName), members, rate, options, readers);
      options.onProgress?.(index.length + rows.length, items.length);
      files.push(fileName);
      index.push(...rows.map(({ offset, member: m }) => [offset, group, m.recordingPath, String(m.startSample), String(m.endSample),
        fileName, formatSeconds(Number(offset), rate), formatSeconds(m.startSample, rate), formatSeconds(m.endSample, rate),
        m.lowHz === null ? '' : formatHz(m.lowHz), m.highHz === null ? '' : formatHz(m.highHz), m.labelId === null ? '' : String(m.labelId)]));
    }
  } finally {
    for (const reader of readers.values()) await reader.close();
  }
  const header = ['offset', 'annotation', 'source_file', 'source_start', 'source_stop', 'output_file', 'offset_s', 'source_start_s', 'source_stop_s', 'low_hz', 'high_hz', 'label_id'];
  await writeAtomically(path.join(outDir, CLUSTER_INDEX_FILE), csvFormatRows([header, ...index]) + '\n');
  return { files: [...files, CLUSTER_INDEX_FILE], groups: groups.size, members: index.length };
}

/** Streams one group's members (and the gaps) into a mono float WAV; returns each member's offset in samples. */
async function writeGroup(
  file: string,
  members: readonly ClusterItem[],
  rate: number,
  options: { channel: number; resolvePath: (relPath: string) => string; signal?: AbortSignal },
  readers: Map<string, AudioRangeReader>,
): Promise<{ offset: string; member: ClusterItem }[]> {
  const gap = Math.round(CLUSTER_GAP_SECONDS * rate);
  const total = members.reduce((n, m) => n + (m.endSample - m.startSample), 0) + gap * Math.max(0, members.length - 1);
  const partial = `${file}.partial`;
  const handle = await open(partial, 'w');
  const rows: { offset: string; member: ClusterItem }[] = [];
  try {
    await handle.write(monoWavHeader(rate, total, 'f32'));
    let offset = 0;
    for (const [i, member] of members.entries()) {
      throwIfAborted(options.signal);
      if (i > 0) {
        await handle.write(Buffer.alloc(gap * 4));
        offset += gap;
      }
      let reader = readers.get(member.recordingPath);
      if (!reader) {
        reader = await openAudioRangeReader(options.resolvePath(member.recordingPath));
        readers.set(member.recordingPath, reader);
      }
      const frames = member.endSample - member.startSample;
      const channel = Math.min(options.channel, reader.info.channels - 1);
      // In blocks: a member may be a long stretch of a long file.
      for (let done = 0; done < frames; done += READ_BLOCK_FRAMES) {
        const want = Math.min(READ_BLOCK_FRAMES, frames - done);
        const samples = await reader.read(member.startSample + done, want, channel, options.signal);
        // A file shorter than when it was scanned: pad, so offsets in the index stay right.
        const block = samples.length === want ? samples : Float32Array.from({ length: want }, (_, k) => samples[k] ?? 0);
        await handle.write(Buffer.from(block.buffer, block.byteOffset, block.byteLength));
      }
      rows.push({ offset: String(offset), member });
      offset += frames;
    }
  } finally {
    await handle.close();
  }
  await rename(partial, file);
  return rows;
}

/** File names from group names: safe characters, no two alike (case-insensitively). */
class FileNames {
  private readonly used = new Set<string>();

  take(group: string, suffix: string): string {
    const safe = group.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').replace(/^[.\s]+|[.\s]+$/g, '').slice(0, 100) || 'unnamed';
    let name = `${safe}${suffix}.wav`;
    for (let n = 2; this.used.has(name.toLowerCase()); n++) name = `${safe}${suffix}-${n}.wav`;
    this.used.add(name.toLowerCase());
    return name;
  }
}

/** Writes a file through a temporary name, so a reader never sees half of it. */
export async function writeAtomically(file: string, content: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  const handle = await open(partial, 'w');
  try {
    await handle.writeFile(content, 'utf8');
  } finally {
    await handle.close();
  }
  await rename(partial, file);
}
