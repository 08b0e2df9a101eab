/**
 * Files the researcher picked or dropped → what 'exchange:import' takes: the
 * name and the bytes as base64 (so UTF-16 and Windows-1252 tables reach the
 * engine byte for byte; it decodes them).
 */
import type { ImportTable } from '../../../../src-shared/exchange-types';

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

/** The contract carries tables up to 32 MiB; bigger ones go through the command line. */
export const MAX_TABLE_BYTES = 32 * 1024 * 1024;

/** Reads the files; a file too big for the app is refused with a readable message before anything is sent. */
export async function readTables(files: readonly File[]): Promise<ImportTable[]> {
  const big = files.find((f) => f.size > MAX_TABLE_BYTES);
  if (big) {
    throw new Error(`${big.name} is ${(big.size / 2 ** 20).toFixed(0)} MB, more than the app takes (32 MB): import it with \`npx sonotype import ${big.name}\`.`);
  }
  return Promise.all(files.map(async (file) => ({ name: file.name, base64: toBase64(await readBytes(file)) })));
}
