import type { CST } from 'yaml';

/**
 * Offset of the first collection (map or list) that nests deeper than `max`
 * in a document's concrete syntax tree, or undefined. Checked before the
 * document is composed, because `yaml`'s composer recurses per level and a
 * hostile `[[[[…` would overflow the stack. Iterative for the same reason.
 */
export function firstCollectionDeeperThan(document: CST.Document, max: number): number | undefined {
  const tokens: CST.Token[] = document.value ? [document.value] : [];
  const depths: number[] = tokens.map(() => 1);
  while (tokens.length > 0) {
    const token = tokens.pop()!;
    const depth = depths.pop()!;
    if (token.type !== 'block-map' && token.type !== 'block-seq' && token.type !== 'flow-collection') continue;
    if (depth > max) return token.offset;
    for (const item of token.items) {
      for (const child of [(item as CST.CollectionItem).key, item.value]) {
        if (child) {
          tokens.push(child);
          depths.push(depth + 1);
        }
      }
    }
  }
  return undefined;
}
