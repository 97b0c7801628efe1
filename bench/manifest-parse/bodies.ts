/** The benchmark's manifests bodies, built the same way for every parser and for the hub. */

/** `count` ConfigMaps of ~500 bytes each, one document apiece (10,000 ≈ 5 MB). */
export function configMaps(count: number): string {
  const data = Array.from({ length: 10 }, (_, k) => `  key${k}: "${'v'.repeat(24)}"\n`).join('');
  return Array.from({ length: count }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bench-${i}\n  namespace: bench\n  labels: {app: bench, shard: "${i % 16}"}\ndata:\n${data}`).join('---\n');
}

/** `'---\n'` repeated: 12,000,000 times is 48 MB of empty documents. */
export function dashes(count: number): string {
  return '---\n'.repeat(count);
}
