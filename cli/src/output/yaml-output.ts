import type { KubeObject } from '@flotilla/core';
import { stringify } from 'yaml';

/** Objects as one multi-document YAML stream, in render order ("" for none). */
export function toYamlStream(objects: readonly KubeObject[]): string {
  return objects.map((o) => `---\n${stringify(o, { lineWidth: 0 })}`).join('');
}
