import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repoPath } from '../support/paths.ts';

/** The hub/agent boundary is a lint error, not a convention: prove the rule fires. */
async function lint(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: repoPath('.') });
  const [result] = await eslint.lintText(code, { filePath: repoPath(file) });
  return result!.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

describe('module boundaries', () => {
  it('forbids the agent from importing hub code', async () => {
    expect(await lint('agent/src/probe.ts', "import { loadConfig } from '../../hub/src/platform/config/config.js';\nexport const x = loadConfig;\n")).not.toEqual([]);
  });
  it('forbids the hub from importing agent code', async () => {
    expect(await lint('hub/src/probe.ts', "import * as agent from '../../agent/src/main.js';\nexport const x = agent;\n")).not.toEqual([]);
  });
  it('lets both import the proto contract', async () => {
    expect(await lint('agent/src/probe.ts', "import { bearer } from '@flotilla/proto';\nexport const x = bearer;\n")).toEqual([]);
  });
});
