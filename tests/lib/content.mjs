// Deterministic test file contents and the hashes the Hub reports for them.
import { createHash } from "node:crypto";

// Returns `size` pseudo-random bytes, the same for the same seed (xorshift32).
export function patternBytes(size, seed = 1) {
  const words = new Uint32Array(Math.ceil(size / 4));
  let x = (seed >>> 0) || 0x9e3779b9;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    words[i] = x;
  }
  return Buffer.from(words.buffer, 0, size);
}

export function sha256Hex(bytes) {
  return createHash("sha256").update(bytes).digest("hex");
}

// The git blob id of `bytes` (what the Hub calls `oid` for a regular file).
export function gitBlobSha(bytes) {
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

// The canonical git-lfs pointer text for `bytes` (spec §17.3).
export function lfsPointer(bytes) {
  return `version https://git-lfs.github.com/spec/v1\noid sha256:${sha256Hex(bytes)}\nsize ${bytes.length}\n`;
}

// Collects an async iterator into an array.
export async function collect(iterable) {
  const out = [];
  for await (const item of iterable) out.push(item);
  return out;
}

// Reads a Blob into a Buffer.
export async function blobBytes(blob) {
  return Buffer.from(await blob.arrayBuffer());
}
