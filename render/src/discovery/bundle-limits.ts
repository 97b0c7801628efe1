/** Bounds on what one bundle may read from disk; a bundle is held in memory, so it must stay small. */
export interface BundleLimits {
  /** Most files in one bundle. Default 5000. */
  maxFiles: number;
  /** Largest single file, checked with stat before reading. Default 16 MiB. */
  maxFileBytes: number;
  /** Largest sum of file sizes in one bundle. Default 64 MiB. */
  maxTotalBytes: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_BUNDLE_LIMITS: BundleLimits = { maxFiles: 5000, maxFileBytes: 16 * MiB, maxTotalBytes: 64 * MiB };

export function resolveLimits(limits?: Partial<BundleLimits>): BundleLimits {
  return { ...DEFAULT_BUNDLE_LIMITS, ...limits };
}
