/**
 * One entry point for reading an annotation table from its bytes: decode,
 * recognise the format (or take the one asked for), parse. Never throws for
 * bad content: problems come back as issues (a table-level issue has line
 * null), so one broken file never stops an import of many.
 */
import { normaliseHeader, planColumns } from './column-roles';
import { parseAudacityTrack } from './parse-audacity';
import { parseHeaderTable } from './parse-header-table';
import { decodeTableText, numberedLines, parseDecimal, parseDelimited, type DecodedText } from './table-text';
import type { ParsedTable, TableFormat } from './table-types';

/** evsonganaly's .not.mat files are MATLAB v5 files; no well-kept npm parser exists for them (see README). */
const NOTMAT_MESSAGE =
  'evsonganaly .not.mat files are not supported: no well-kept MATLAB-file parser exists on npm. ' +
  'Convert them to CSV (onset_s, offset_s, label, one row per syllable) with crowsetta or evfuncs in Python and import that.';

/** Parses a table; `format` 'auto' recognises it from the content and the file name. */
export function parseAnnotationTable(bytes: Uint8Array, name: string, format: TableFormat | 'auto' = 'auto'): ParsedTable {
  const empty = (issue: string, f: ParsedTable['format'] = 'csv', encoding = 'utf-8'): ParsedTable => ({
    name, format: f, encoding, columns: [], rows: [], issues: [{ file: name, line: null, reason: issue }],
  });
  if (format === 'notmat' || (format === 'auto' && /\.not\.mat$/i.test(name))) return empty(NOTMAT_MESSAGE);
  let decoded: DecodedText;
  try {
    decoded = decodeTableText(bytes, name);
  } catch (error) {
    return empty(error instanceof Error ? error.message.replace(`${name}: `, '') : String(error));
  }
  const { text, encoding } = decoded;
  if (text.trim() === '') return empty('the table is empty.', format === 'auto' ? 'csv' : format, encoding);
  const chosen = format === 'auto' ? recogniseFormat(text) : { format, delimiter: format === 'raven' ? '\t' : chooseDelimiter(firstLine(text)) };
  if (!chosen) {
    return empty(
      `not a recognised annotation table. Expected a Raven selection table (tab-separated, "Begin Time (s)" and "End Time (s)" columns), ` +
        `an Audacity label track ("start<TAB>end<TAB>label" lines) or a CSV with start and end columns; the first line is "${firstLine(text).slice(0, 120)}".`,
      'csv',
      encoding,
    );
  }
  if (chosen.format === 'audacity') {
    const { rows, issues } = parseAudacityTrack(numberedLines(text), name);
    return { name, format: 'audacity', encoding, columns: [], rows, issues };
  }
  const headerFormat = chosen.format === 'raven' ? 'raven' : 'csv';
  const { columns, rows, issues } = parseHeaderTable(parseDelimited(text, chosen.delimiter), name, headerFormat, chosen.delimiter === ';');
  return { name, format: headerFormat, encoding, columns, rows, issues };
}

function firstLine(text: string): string {
  const lines = text.split(/\r\n|\n|\r/);
  return lines.find((l) => l.trim() !== '') ?? '';
}

/** The delimiter that splits the header into the most fields (tab, comma or semicolon). */
function chooseDelimiter(header: string): string {
  const counts = ['\t', ',', ';'].map((d) => [d, header.split(d).length] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0][1] > 1 ? counts[0][0] : ',';
}

const isAudacityLabelLine = (line: string): boolean => {
  const fields = line.split('\t');
  return fields.length >= 2 && parseDecimal(fields[0], true) !== undefined && parseDecimal(fields[1], true) !== undefined;
};

/**
 * Recognises the format: a header naming Raven's Begin/End Time columns, a
 * header with any column Sonotype knows, or Audacity's number-tab-number lines
 * (looked for in the first 20 lines, so a broken first line does not hide them).
 */
function recogniseFormat(text: string): { format: Exclude<TableFormat, 'notmat'>; delimiter: string } | null {
  const first = firstLine(text);
  if (isAudacityLabelLine(first)) return { format: 'audacity', delimiter: '\t' };
  const tabFields = first.split('\t');
  const keys = tabFields.map(normaliseHeader);
  if (tabFields.length >= 2 && keys.includes('begintimes') && keys.includes('endtimes')) return { format: 'raven', delimiter: '\t' };
  const delimiter = chooseDelimiter(first);
  const headers = first.split(delimiter);
  if (headers.length >= 2 && planColumns(headers, 'csv').plans.some((p) => p.role !== 'extra')) return { format: 'csv', delimiter };
  const lines = text.split(/\r\n|\n|\r/, 40).filter((l) => l.trim() !== '').slice(0, 20);
  // Only Audacity writes backslash frequency lines.
  if (lines.some((l) => isAudacityLabelLine(l) || l.startsWith('\\\t'))) return { format: 'audacity', delimiter: '\t' };
  if (headers.length >= 2) return { format: 'csv', delimiter };
  return null;
}
