import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoPath } from '../support/paths.ts';

/** Messages of `ruleId` for the files given, linted with the repository's eslint.config.mjs. */
async function messages(ruleId: string, files: string[]): Promise<string[]> {
  const eslint = new ESLint({ cwd: repoPath('.') });
  const results = await eslint.lintFiles(files);
  return results.flatMap((r) => r.messages.filter((m) => m.ruleId === ruleId).map((m) => m.message));
}

describe('import cycles', () => {
  let dir: string;
  beforeAll(() => {
    // A real folder: the rule follows imports on disk (`./b.js` is b.ts, as for tsc).
    dir = mkdtempSync(repoPath('test/workspace/.cycle-probe-'));
    writeFileSync(join(dir, 'a.ts'), "import { b } from './b.js';\nexport const a = (): number => b() + 1;\n");
    writeFileSync(join(dir, 'b.ts'), "import { c } from './c.js';\nexport const b = (): number => c();\n");
    writeFileSync(join(dir, 'c.ts'), "import { a } from './a.js';\nexport const c = (): number => a();\n");
    writeFileSync(join(dir, 'leaf.ts'), "import { c } from './c.js';\nexport const leaf = c;\n");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('are lint errors, even through several files', async () => {
    expect(await messages('import-x/no-cycle', [join(dir, 'a.ts')])).toEqual(['Dependency cycle via "./c.js:1"']);
    expect(await messages('import-x/no-cycle', [join(dir, 'c.ts')])).toEqual(['Dependency cycle via "./b.js:1"']);
  });

  it('leave files that only import into a cycle alone', async () => {
    expect(await messages('import-x/no-cycle', [join(dir, 'leaf.ts')])).toEqual([]);
  });
});

describe('hub layers', () => {
  const lint = async (file: string, code: string) => {
    const eslint = new ESLint({ cwd: repoPath('.') });
    const [result] = await eslint.lintText(code, { filePath: repoPath(file) });
    return result!.messages.filter((m) => m.ruleId === 'import-x/no-restricted-paths').map((m) => m.message);
  };

  it('forbid a lower folder to import a higher one', async () => {
    expect(await lint('hub/src/delivery/probe.ts', "import { ClusterService } from '../clusters/cluster.service.js';\nexport const x = ClusterService;\n")).toEqual([
      'Unexpected path "../clusters/cluster.service.js" imported in restricted zone. hub/src/delivery may only import lower layers of the hub (HUB_LAYERS in eslint.config.mjs)',
    ]);
    expect(await lint('hub/src/clusters/probe.ts', "import { OPENAPI_DOCUMENT } from '../api/openapi.provider.js';\nexport const x = OPENAPI_DOCUMENT;\n")).toHaveLength(1);
  });

  it('let features import the platform and lower features', async () => {
    expect(await lint('hub/src/clusters/probe.ts', "import { ClusterEventBus } from '../platform/events/cluster-events.bus.js';\nimport { FanoutQueue } from '../delivery/fanout.queue.js';\nexport const x = [ClusterEventBus, FanoutQueue];\n")).toEqual([]);
  });
});
