/**
 * Loading the engine's WebAssembly kernels (wasm/build/kernel-bytes.ts holds them as base64, so Node, the
 * worker and the tests load them alike, with no fetch): decoding, validating and compiling each build once.
 */

/** The part of the WebAssembly global the engine uses (the engine's types know no DOM). */
export interface WebAssemblyGlobal {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  validate(bytes: Uint8Array): boolean;
}

/** A WebAssembly page: memory grows by these. */
export const PAGE = 65536;

export const webAssembly = (): WebAssemblyGlobal | undefined => (globalThis as { WebAssembly?: WebAssemblyGlobal }).WebAssembly;

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function decodeBase64(text: string): Uint8Array {
  const clean = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let buffer = 0;
  let o = 0;
  for (const ch of clean) {
    buffer = (buffer << 6) | BASE64.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >> bits) & 0xff;
    }
  }
  return out;
}

const modules = new Map<string, object | null>();

/** The module of `base64`'s bytes, compiled once, or null where this host does not validate it (no WebAssembly, no SIMD, no relaxed SIMD). */
export function compiledModule(base64: string): object | null {
  if (modules.has(base64)) return modules.get(base64)!;
  const wasm = webAssembly();
  const bytes = decodeBase64(base64);
  const module = wasm && wasm.validate(bytes) ? new wasm.Module(bytes) : null;
  modules.set(base64, module);
  return module;
}
