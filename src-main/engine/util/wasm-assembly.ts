/**
 * Byte-level WebAssembly assembly for the engine's hand-written SIMD kernels
 * (features/fir-simd.ts, clusters/dtw-wasm.ts): no toolchain is available in
 * the build, so each kernel spells its function body in opcodes and this
 * file wraps it into a module. One function, one exported memory.
 */

/** Value types of the binary format. */
export const ValType = { I32: 0x7f, F32: 0x7d, V128: 0x7b } as const;

/** Unsigned LEB128 (lengths, indices, memory offsets). */
export function leb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return out;
}

/** Signed LEB128 (i32.const immediates). */
export function sleb(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const section = (id: number, content: number[]) => [id, ...leb(content.length), ...content];
const name = (s: string) => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];

export interface KernelFunction {
  /** Export name of the function. */
  name: string;
  params: readonly number[];
  results: readonly number[];
  /** The function body: locals declaration, code, final `end`. */
  body: readonly number[];
}

/**
 * A module of one function with its memory (one page to start; the caller
 * grows it) exported as "memory".
 */
export function kernelModuleBytes(fn: KernelFunction): Uint8Array<ArrayBuffer> {
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
    ...section(1, [0x01, 0x60, fn.params.length, ...fn.params, fn.results.length, ...fn.results]), // one function type
    ...section(3, [0x01, 0x00]), // function 0 has type 0
    ...section(5, [0x01, 0x00, 0x01]), // one memory, min 1 page
    ...section(7, [0x02, ...name('memory'), 0x02, 0x00, ...name(fn.name), 0x00, 0x00]),
    ...section(10, [0x01, ...leb(fn.body.length), ...fn.body]),
  ]);
}
