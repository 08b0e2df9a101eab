/**
 * Bytes of an annotation table → text → rows of fields with line numbers.
 *
 * Tables arrive as UTF-8 (with or without BOM), as Excel's "Unicode text"
 * (UTF-16 LE with BOM), now and then UTF-16 without BOM, and from older
 * Windows tools as Windows-1252. Delimited text is split by d3-dsv (quoted
 * fields, embedded newlines, CRLF); line numbers are counted from the
 * newlines each row consumed, so an error names the line a person sees in an
 * editor.
 */
import { dsvFormat } from 'd3-dsv';
import { SonotypeError } from '../../../src-shared/errors';

export interface DecodedText {
  text: string;
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
}

/** A row of fields and the line it starts on. */
export interface NumberedRow {
  line: number;
  fields: string[];
}

/** Decodes a table file's bytes, BOM removed; refuses binary data with a readable message. */
export function decodeTableText(bytes: Uint8Array, name: string): DecodedText {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { text: utf16(bytes.subarray(2), 'le'), encoding: 'utf-16le' };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { text: utf16(bytes.subarray(2), 'be'), encoding: 'utf-16be' };
  const guessed = guessUtf16WithoutBom(bytes);
  if (guessed) return { text: utf16(bytes, guessed), encoding: guessed === 'le' ? 'utf-16le' : 'utf-16be' };
  const body = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  if (body.includes(0)) {
    throw new SonotypeError('INVALID_ARGUMENT', `${name}: this is not a text table (it holds binary data).`);
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'utf-8' };
  } catch {
    // Not valid UTF-8: a table from an older Windows tool.
    return { text: new TextDecoder('windows-1252').decode(body), encoding: 'windows-1252' };
  }
}

function utf16(bytes: Uint8Array, order: 'le' | 'be'): string {
  const even = bytes.length - (bytes.length % 2);
  const copy = new Uint8Array(even);
  copy.set(bytes.subarray(0, even));
  if (order === 'be') for (let i = 0; i < even; i += 2) [copy[i], copy[i + 1]] = [copy[i + 1], copy[i]];
  return new TextDecoder('utf-16le').decode(copy).replace(/^\uFEFF/, '');
}

/** ASCII text stored as UTF-16 has a zero in every other byte. */
function guessUtf16WithoutBom(bytes: Uint8Array): 'le' | 'be' | null {
  const n = Math.min(bytes.length - (bytes.length % 2), 512);
  if (n < 4) return null;
  let zeroOdd = 0;
  let zeroEven = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) zeroEven++;
    if (bytes[i + 1] === 0) zeroOdd++;
  }
  const pairs = n / 2;
  if (zeroOdd > pairs * 0.7 && zeroEven < pairs * 0.05) return 'le';
  if (zeroEven > pairs * 0.7 && zeroOdd < pairs * 0.05) return 'be';
  return null;
}

/** CRLF and lone CR become LF (inside quoted fields too: a researcher's text keeps its line breaks). */
export function normaliseNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/** Plain lines (Audacity tracks are never quoted), numbered from 1. */
export function numberedLines(text: string): NumberedRow[] {
  const lines = normaliseNewlines(text).split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((line, i) => ({ line: i + 1, fields: [line] }));
}

/** Delimited rows via d3-dsv, each with the line it starts on. */
export function parseDelimited(text: string, delimiter: string): NumberedRow[] {
  const rows = dsvFormat(delimiter).parseRows(normaliseNewlines(text));
  const out: NumberedRow[] = [];
  let line = 1;
  for (const fields of rows) {
    out.push({ line, fields });
    line += 1;
    for (const field of fields) for (let i = field.indexOf('\n'); i >= 0; i = field.indexOf('\n', i + 1)) line++;
  }
  return out;
}

/** True when every field is blank (a spacer line). */
export function isBlankRow(fields: readonly string[]): boolean {
  return fields.every((f) => f.trim() === '');
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A decimal number as written in a table, or undefined when the text is not
 * one. With `decimalComma` (semicolon-separated tables from European Excel),
 * "0,25" reads as 0.25.
 */
export function parseDecimal(text: string | undefined, decimalComma = false): number | undefined {
  if (text === undefined) return undefined;
  let t = text.trim();
  if (decimalComma && /^[+-]?\d*,\d+$/.test(t)) t = t.replace(',', '.');
  if (!NUMBER.test(t)) return undefined;
  const value = Number(t);
  return Number.isFinite(value) ? value : undefined;
}
