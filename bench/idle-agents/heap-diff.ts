/**
 * Compares two V8 heap snapshots of the hub (run.ts --heap-snapshots DIR
 * writes one per row): self size and count by constructor, largest growth
 * first, optionally divided by the number of clusters.
 *
 *   node bench/idle-agents/heap-diff.ts BASE.heapsnapshot LOADED.heapsnapshot [--per 1000] [--top 30]
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

interface Totals {
  bytes: Map<string, number>;
  counts: Map<string, number>;
  total: number;
}

export function aggregate(file: string): Totals {
  const s = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = s.snapshot.meta.node_fields;
  const types = s.snapshot.meta.node_types[0];
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [number, number, number];
  const bytes = new Map<string, number>();
  const counts = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < s.nodes.length; i += width) {
    const type = types[s.nodes[i + typeAt]!]!;
    const size = s.nodes[i + sizeAt]!;
    total += size;
    // Objects and closures by constructor / function name; everything else by type.
    const name = type === 'object' || type === 'closure' || type === 'native' ? `${type}: ${s.strings[s.nodes[i + nameAt]!]!.slice(0, 80)}` : `(${type})`;
    bytes.set(name, (bytes.get(name) ?? 0) + size);
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return { bytes, counts, total };
}

if (import.meta.main) {
  const [a, b] = process.argv.slice(2).filter((x) => !x.startsWith('--') && !/^\d+$/.test(x));
  const option = (name: string, fallback: number) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  if (!a || !b) {
    process.stderr.write('usage: node bench/idle-agents/heap-diff.ts BASE.heapsnapshot LOADED.heapsnapshot [--per N] [--top 30]\n');
    process.exit(2);
  }
  const per = option('--per', 1);
  const top = option('--top', 30);
  const base = aggregate(a);
  const loaded = aggregate(b);
  const keys = new Set([...base.bytes.keys(), ...loaded.bytes.keys()]);
  const rows = [...keys].map((k) => ({
    k,
    bytes: (loaded.bytes.get(k) ?? 0) - (base.bytes.get(k) ?? 0),
    count: (loaded.counts.get(k) ?? 0) - (base.counts.get(k) ?? 0),
  }));
  rows.sort((x, y) => y.bytes - x.bytes);
  const unit = per === 1 ? '' : ` per ${per === 1 ? '' : 'cluster'}`;
  process.stdout.write(
    `heap total: ${(base.total / 2 ** 20).toFixed(1)} MiB -> ${(loaded.total / 2 ** 20).toFixed(1)} MiB; growth${unit}: ${((loaded.total - base.total) / per / 1024).toFixed(2)} KiB\n` +
      `${'bytes' + unit}`.padStart(16) + `${'objects' + unit}`.padStart(22) + '  constructor\n' +
      rows
        .slice(0, top)
        .map((r) => `${(r.bytes / per).toFixed(0).padStart(16)}${(r.count / per).toFixed(2).padStart(22)}  ${r.k}`)
        .join('\n') +
      '\n',
  );
}
