/**
 * Bounds on untrusted manifest input (issue #9). Every bound is checked while
 * parsing, and parsing stops at the first excess, so neither time nor memory
 * can grow past what the bounds allow.
 */
export interface ManifestLimits {
  /** Size of the input text in UTF-8 bytes. Default 67108864 (64 MiB, the hub's HTTP body limit). */
  maxBytes: number;
  /**
   * Characters of one document. A document is held whole while it is read, so this bounds
   * the memory of a parse at any moment. Default 4194304 (4 Mi): Kubernetes refuses
   * objects over ~1.5 MiB (etcd) and requests over 3 MiB anyway.
   */
  maxDocumentLength: number;
  /** YAML documents, empty ones included (`---` alone costs work too). Default 20000. */
  maxDocuments: number;
  /** Kubernetes objects (non-empty documents). Default 10000 (the hub's bundle limit). */
  maxObjects: number;
  /**
   * Nesting of maps and lists in one object, the object itself being level 1.
   * Default 100: the deepest real CRD measured (bench/manifest-parse/RESULTS.md)
   * is ~30 levels, so 100 leaves a wide margin while keeping recursive code
   * downstream (JSON.stringify, diffing, the agent's apply) far from the stack limit.
   */
  maxDepth: number;
  /** Resolved aliases per document (`yaml` maxAliasCount, against alias expansion bombs). Default 100. */
  maxAliasCount: number;
}

export const DEFAULT_MANIFEST_LIMITS: Readonly<ManifestLimits> = Object.freeze({
  maxBytes: 64 * 1024 * 1024,
  maxDocumentLength: 4 * 1024 * 1024,
  maxDocuments: 20_000,
  maxObjects: 10_000,
  maxDepth: 100,
  maxAliasCount: 100,
});

/** The defaults with the given overrides. */
export function manifestLimits(overrides: Partial<ManifestLimits> = {}): ManifestLimits {
  return { ...DEFAULT_MANIFEST_LIMITS, ...overrides };
}
