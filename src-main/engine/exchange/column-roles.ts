/**
 * Which header names mean what. Headers are compared lowercased with
 * spaces, punctuation and brackets removed ("Begin Time (s)" → "begintimes",
 * "start_s" → "starts"). The leftmost column of a role wins; any other column
 * is kept as an extra and written back on export. The README's column-mapping
 * table is this file in prose.
 */

export type ColumnRole =
  | 'start' | 'end' | 'startSample' | 'endSample' | 'low' | 'high' | 'file' | 'fileOffset' | 'selection' | 'view'
  | 'value' | 'soundType' | 'annotation' | 'confidence' | 'source' | 'sourceTable';

/** Header → comparison key. */
export function normaliseHeader(header: string): string {
  return header.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Names per role; frequency names map to a factor to Hz (warbleR's bottom.freq/top.freq are in kHz). */
const ROLE_NAMES: Record<Exclude<ColumnRole, 'low' | 'high'>, readonly string[]> = {
  start: ['begintimes', 'begintime', 'starts', 'start', 'starttime', 'starttimes', 'startsec', 'startseconds', 'begin', 'onsets', 'onset', 'onsettime', 'tstart'],
  end: ['endtimes', 'endtime', 'ends', 'end', 'endsec', 'endseconds', 'stop', 'stops', 'stoptime', 'stoptimes', 'offsets', 'offset', 'offsettime', 'tend'],
  startSample: ['sourcestart', 'startsample', 'beginsample', 'onsetsample', 'onsetsamples'],
  endSample: ['sourcestop', 'endsample', 'stopsample', 'offsetsample', 'offsetsamples'],
  file: [
    'beginpath', 'recordingpath', 'filepath', 'audiopath', 'path', 'sourcefile', 'recording', 'beginfile', 'file', 'files', 'filename',
    'soundfile', 'soundfiles', 'soundfilename', 'recordingfile', 'recordingname', 'audiofile', 'audiofilename', 'wav', 'wavfile',
  ],
  fileOffset: ['fileoffsets', 'fileoffset'],
  selection: ['selection'],
  view: ['view'],
  value: ['value'],
  soundType: ['soundtype', 'type', 'calltype', 'label', 'class', 'syllable', 'category'],
  annotation: ['annotation', 'annotations', 'notes', 'note', 'comment', 'comments'],
  confidence: ['confidence'],
  source: ['source'],
  sourceTable: ['sourcetable'],
};

const FREQUENCY_NAMES: Record<'low' | 'high', Record<string, number>> = {
  low: {
    lowfreqhz: 1, lowfreq: 1, lowfrequency: 1, lowfrequencyhz: 1, lowhz: 1, minfreq: 1, minfreqhz: 1, minfrequency: 1, minfrequencyhz: 1,
    fmin: 1, freqmin: 1, bottomfreqhz: 1, lowfreqkhz: 1000, minfreqkhz: 1000, bottomfreqkhz: 1000, bottomfreq: 1000,
  },
  high: {
    highfreqhz: 1, highfreq: 1, highfrequency: 1, highfrequencyhz: 1, highhz: 1, maxfreq: 1, maxfreqhz: 1, maxfrequency: 1, maxfrequencyhz: 1,
    fmax: 1, freqmax: 1, topfreqhz: 1, highfreqkhz: 1000, maxfreqkhz: 1000, topfreqkhz: 1000, topfreq: 1000,
  },
};

/** A column's role and, for frequencies, the factor to Hz. */
export interface ColumnPlan {
  index: number;
  header: string;
  role: ColumnRole | 'extra';
  toHz?: number;
}

/**
 * Assigns roles to a header. `javaLabeller` (the original Dolphin-MNIST
 * labeller's offset/annotation/source_file/source_start/source_stop) changes
 * two meanings: its `offset` is a position in the exported concatenated WAV,
 * and its `annotation` is the class chosen by number key, i.e. a sound type.
 * Raven-only columns (Selection, View, File Offset) are extras in a CSV.
 */
export function planColumns(headers: readonly string[], format: 'raven' | 'csv'): { plans: ColumnPlan[]; javaLabeller: boolean } {
  const keys = headers.map(normaliseHeader);
  const javaLabeller = keys.includes('sourcefile') && keys.includes('sourcestart') && keys.includes('sourcestop');
  const taken = new Set<ColumnRole>();
  const plans: ColumnPlan[] = keys.map((key, index) => {
    const header = headers[index];
    const role = roleOf(key, format, javaLabeller);
    if (!role) return { index, header, role: 'extra' };
    // Several file columns may all name the recording (Raven: Begin Path and Begin File).
    if (role.role !== 'file' && taken.has(role.role)) return { index, header, role: 'extra' };
    taken.add(role.role);
    return { index, header, ...role };
  });
  return { plans, javaLabeller };
}

/** Every known name → its role (and factor to Hz), built once. */
const KNOWN_NAMES: ReadonlyMap<string, { role: ColumnRole; toHz?: number }> = (() => {
  const map = new Map<string, { role: ColumnRole; toHz?: number }>();
  for (const band of ['low', 'high'] as const) {
    for (const [name, toHz] of Object.entries(FREQUENCY_NAMES[band])) map.set(name, { role: band, toHz });
  }
  for (const [role, names] of Object.entries(ROLE_NAMES) as [ColumnRole, readonly string[]][]) {
    for (const name of names) if (!map.has(name)) map.set(name, { role });
  }
  return map;
})();

function roleOf(key: string, format: 'raven' | 'csv', javaLabeller: boolean): { role: ColumnRole; toHz?: number } | null {
  if (javaLabeller) {
    if (key === 'offset') return null;
    if (key === 'annotation') return { role: 'soundType' };
  }
  const known = KNOWN_NAMES.get(key) ?? timeWithUnit(key);
  if (!known) return null;
  if (format === 'csv' && (known.role === 'selection' || known.role === 'view' || known.role === 'fileOffset')) return null;
  return known;
}

const TIME_UNITS = ['seconds', 'second', 'secs', 'sec', 's'];

/**
 * A start or end name followed by a unit in seconds ("Begin (s)" → "begins",
 * "Begin Time (sec)", "stop_seconds"): the names tables use for times come
 * with every spelling of the unit.
 */
function timeWithUnit(key: string): { role: ColumnRole } | undefined {
  for (const unit of TIME_UNITS) {
    if (!key.endsWith(unit) || key.length === unit.length) continue;
    const bare = key.slice(0, -unit.length);
    // "Begins (s)": a plural name with its unit.
    for (const name of [bare, bare.replace(/s$/, '')]) {
      const known = KNOWN_NAMES.get(name);
      if (known && (known.role === 'start' || known.role === 'end')) return { role: known.role };
    }
  }
  return undefined;
}

/** Whether a header row names enough to read events: a start and an end (seconds or samples), or a recording (whole-clip labels). */
export function describeMissingColumns(plans: readonly ColumnPlan[]): string | null {
  const has = (role: ColumnRole) => plans.some((p) => p.role === role);
  const seconds = has('start') && has('end');
  const samples = has('startSample') && has('endSample');
  if (seconds || samples) return null;
  if (!has('start') && !has('end') && !has('startSample') && !has('endSample') && has('file')) return null;
  if (has('start') || has('startSample')) return 'no end column (expected a name like end, end_s, stop, offset_s or "End Time (s)")';
  return 'no start column (expected a name like start, start_s, begin, onset_s or "Begin Time (s)")';
}
