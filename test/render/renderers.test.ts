/**
 * Fixture cases under render/fixtures/render/<case>/: input/ (the bundle),
 * options.yaml (DeploymentOptions) and expected.yaml (the objects, written by
 * hand from Fleet's documented behaviour; first line `# kind: <kind>`),
 * rendered with the real helm and kustomize from the harness.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderFiles, type ToolSet } from '@flotilla/render';
import { ensureTools } from '../clusters/index.ts';
import { FIXTURES, harnessTools, readOptions, readTree, sortObjects, workDirWith } from './render-fixture.support.ts';

const cases = fs.readdirSync(FIXTURES).filter((c) => fs.existsSync(path.join(FIXTURES, c, 'expected.yaml')));

describe('renderFiles fixtures', () => {
  let tools: ToolSet;
  const dirs: string[] = [];
  beforeAll(async () => {
    await ensureTools(['helm', 'kustomize']);
    tools = await harnessTools();
  }, 60 * 60_000);
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it.each(cases)('%s', async (name) => {
    const caseDir = path.join(FIXTURES, name);
    const expectedText = fs.readFileSync(path.join(caseDir, 'expected.yaml'), 'utf8');
    const expectedKind = /^# kind: (\w+)/.exec(expectedText)?.[1];
    const expected = parseAllDocuments(expectedText).map((d) => d.toJS() as { kind: string; metadata: { name: string } }).filter(Boolean);
    const files = readTree(path.join(caseDir, 'input'));
    const workDir = workDirWith(files);
    dirs.push(workDir);

    const result = await renderFiles({ bundleName: name, files, options: readOptions(caseDir), workDir, tools });

    expect(result.kind).toBe(expectedKind);
    expect(sortObjects(result.objects)).toEqual(sortObjects(expected));
  });
});
