/**
 * cluster-wav: one WAV per sound type (or cluster) with its members joined by
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
import type { StoredLabel } from '../store/labels';
import { monoWavHeader } from '../tiles/wav-response';
import { throwIfAborted } from '../audio/fs-errors';
import { clusterOf, formatHz, formatSeconds, type ExportRecording } from './export-labels';

export const CLUSTER_GAP_SECONDS = 0.1;
export const CLUSTER_INDEX_FILE = 'cluster_index.csv';
const READ_BLOCK_FRAMES = 1 << 18;

/** The group a label is listened to in: its sound type, else its cluster, else a type name stored as its value. */
export function labelGroup(label: StoredLabel): string | null {
  if (label.soundType) return label.soundType;
  const cluster = clusterOf(label);
  if (cluster) return cluster;
  return label.value !== 'silence' && label.value !== 'sound' ? label.value : null;
}

interface Member {
  recording: ExportRecording;
  label: StoredLabel;
}

export interface ClusterWavResult {
  files: string[];
  groups: number;
  members: number;
  /** Labels with no sound type or cluster (not written). */
  skipped: number;
}

/** Writes the group WAVs and the index into `outDir`; `resolvePath` gives a recording's absolute path. */
export async function writeClusterWavs(
  recordings: readonly ExportRecording[],
  outDir: string,
  options: {
    channel: number;
    resolvePath: (relPath: string) => string;
    signal?: AbortSignal;
    /** Called with every file name before the first is written (may throw to stop the export). */
    beforeWriting?: (files: string[]) => void;
  },
): Promise<ClusterWavResult> {
  const groups = new Map<string, Member[]>();
  let skipped = 0;
  for (const recording of recordings) {
    for (const label of recording.labels) {
      const group = labelGroup(label);
      if (group === null) {
        skipped++;
        continue;
      }
      const key = `${group}\u0000${recording.sampleRate}`;
      groups.set(key, [...(groups.get(key) ?? []), { recording, label }]);
    }
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
      files.push(fileName);
      index.push(...rows.map((r) => [r.offset, group, r.member.recording.path, String(r.member.label.startSample), String(r.member.label.endSample),
        fileName, formatSeconds(Number(r.offset), rate), formatSeconds(r.member.label.startSample, rate), formatSeconds(r.member.label.endSample, rate),
        r.member.label.lowHz === null ? '' : formatHz(r.member.label.lowHz), r.member.label.highHz === null ? '' : formatHz(r.member.label.highHz),
        String(r.member.label.id)]));
    }
  } finally {
    for (const reader of readers.values()) await reader.close();
  }
  const header = ['offset', 'annotation', 'source_file', 'source_start', 'source_stop', 'output_file', 'offset_s', 'source_start_s', 'source_stop_s', 'low_hz', 'high_hz', 'label_id'];
  await writeAtomically(path.join(outDir, CLUSTER_INDEX_FILE), csvFormatRows([header, ...index]) + '\n');
  return { files: [...files, CLUSTER_INDEX_FILE], groups: groups.size, members: index.length, skipped };
}

/** Streams one group's members (and the gaps) into a mono float WAV; returns each member's offset in samples. */
async function writeGroup(
  file: string,
  members: readonly Member[],
  rate: number,
  options: { channel: number; resolvePath: (relPath: string) => string; signal?: AbortSignal },
  readers: Map<string, AudioRangeReader>,
): Promise<{ offset: string; member: Member }[]> {
  const gap = Math.round(CLUSTER_GAP_SECONDS * rate);
  const total = members.reduce((n, m) => n + (m.label.endSample - m.label.startSample), 0) + gap * Math.max(0, members.length - 1);
  const partial = `${file}.partial`;
  const handle = await open(partial, 'w');
  const rows: { offset: string; member: Member }[] = [];
  try {
    await handle.write(monoWavHeader(rate, total, 'f32'));
    let offset = 0;
    for (const [i, member] of members.entries()) {
      throwIfAborted(options.signal);
      if (i > 0) {
        await handle.write(Buffer.alloc(gap * 4));
        offset += gap;
      }
      let reader = readers.get(member.recording.path);
      if (!reader) {
        reader = await openAudioRangeReader(options.resolvePath(member.recording.path));
        readers.set(member.recording.path, reader);
      }
      const frames = member.label.endSample - member.label.startSample;
      const channel = Math.min(options.channel, reader.info.channels - 1);
      // In blocks: a member may be a long stretch of a long file.
      for (let done = 0; done < frames; done += READ_BLOCK_FRAMES) {
        const want = Math.min(READ_BLOCK_FRAMES, frames - done);
        const samples = await reader.read(member.label.startSample + done, want, channel, options.signal);
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
