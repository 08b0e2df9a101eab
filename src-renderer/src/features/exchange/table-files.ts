/**
 * Files the researcher picked or dropped → what 'exchange:import' takes: the
 * name and the bytes as base64 (so UTF-16 and Windows-1252 tables reach the
 * engine byte for byte; it decodes them). A table bigger than one call
 * carries is staged first, chunk by chunk ('exchange:stageTable').
 */
import { MAX_IMPORT_BYTES, MAX_TABLE_CHUNK_BYTES, type ImportTable, type TableChunk } from '../../../../src-shared/exchange-types';

/** Extensions of annotation tables (Raven .txt/.selections.txt, Audacity .txt, CSV/TSV). */
const TABLE_NAME = /\.(txt|csv|tsv|tab)$/i;

export function isTableFile(file: { name: string }): boolean {
  return TABLE_NAME.test(file.name);
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const CHUNK = 0x8000; // String.fromCharCode takes a bounded number of arguments
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

/** A file's bytes (FileReader where Blob.arrayBuffer is missing, as in older engines and jsdom). */
function readBytes(file: Blob): Promise<Uint8Array> {
  if (typeof file.arrayBuffer === 'function') return file.arrayBuffer().then((buffer) => new Uint8Array(buffer));
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer));
    reader.onerror = () => reject(reader.error ?? new Error(`Could not read ${(file as File).name ?? 'the file'}.`));
    reader.readAsArrayBuffer(file);
  });
}

/** Sends one chunk of a staged table ('exchange:stageTable'); resolves with the table's upload id. */
export type StageChunk = (chunk: TableChunk) => Promise<{ uploadId: string }>;

/**
 * Reads the files; tables too big for the app together are refused with a readable message before anything is
 * sent. Tables up to one chunk go inline; bigger ones are staged with `stage`, one chunk at a time.
 */
export async function readTables(files: readonly File[], stage: StageChunk): Promise<ImportTable[]> {
  const total = files.reduce((n, f) => n + f.size, 0);
  if (total > MAX_IMPORT_BYTES) {
    const what = files.length === 1 ? `${files[0].name} is` : `These ${files.length} tables are`;
    const names = files.map((f) => f.name).join(' ');
    throw new Error(`${what} ${(total / 2 ** 20).toFixed(0)} MB, more than the app imports at once (${MAX_IMPORT_BYTES / 2 ** 20} MB): import with \`npx sonotype import ${names}\`.`);
  }
  const tables: ImportTable[] = [];
  for (const file of files) {
    const bytes = await readBytes(file);
    if (bytes.length <= MAX_TABLE_CHUNK_BYTES) {
      tables.push({ name: file.name, base64: toBase64(bytes) });
      continue;
    }
    let uploadId: string | undefined;
    for (let at = 0; at < bytes.length; at += MAX_TABLE_CHUNK_BYTES) {
      const base64 = toBase64(bytes.subarray(at, at + MAX_TABLE_CHUNK_BYTES));
      ({ uploadId } = await stage(uploadId === undefined ? { base64 } : { uploadId, base64 }));
    }
    tables.push({ name: file.name, uploadId: uploadId! });
  }
  return tables;
}
