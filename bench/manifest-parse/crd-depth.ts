/**
 * Nesting depth of real manifests, to choose ManifestLimits.maxDepth:
 *   node bench/manifest-parse/crd-depth.ts <file.yaml>…
 * Prints the deepest object of each file (the object itself is level 1) and the deepest overall.
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

function depth(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    max = Math.max(max, d);
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

let deepest = { file: '', kind: '', name: '', depth: 0 };
for (const file of process.argv.slice(2)) {
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    const value = doc.toJS({ maxAliasCount: -1 }) as { kind?: string; metadata?: { name?: string } } | null;
    if (!value) continue;
    const d = depth(value);
    if (d > deepest.depth) deepest = { file, kind: value.kind ?? '', name: value.metadata?.name ?? '', depth: d };
  }
}
process.stdout.write(`${JSON.stringify(deepest)}\n`);
