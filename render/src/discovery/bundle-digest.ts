import { createHash } from 'node:crypto';
import type { BundleFile } from '../bundle/bundle-source.types.js';

/**
 * `sha256:<hex>` over the bundle's options file (fleet.yaml, which shapes every render though it is not one of
 * `files`) and then the files in order. Each part is preceded by its byte length (8 bytes, big-endian) and the
 * options file by a count of 0 or 1, so no two different bundles frame to the same byte stream.
 */
export function bundleDigest(files: readonly BundleFile[], optionsFile?: BundleFile): string {
  const hash = createHash('sha256');
  hash.update(lengthPrefix(optionsFile ? 1 : 0));
  for (const file of [...(optionsFile ? [optionsFile] : []), ...files]) {
    const path = Buffer.from(file.path, 'utf8');
    hash.update(lengthPrefix(path.length)).update(path);
    hash.update(lengthPrefix(file.content.length)).update(file.content);
  }
  return `sha256:${hash.digest('hex')}`;
}

function lengthPrefix(n: number): Buffer {
  const buf = Buffer.alloc(8);
  buf.writeBigUInt64BE(BigInt(n));
  return buf;
}
