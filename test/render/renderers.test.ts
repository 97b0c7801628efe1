/**
 * Fixture cases under render/fixtures/render/<case>/: input/ (the bundle),
 * options.yaml (DeploymentOptions) and expected.yaml (the objects, written by
 * hand from Fleet's documented behaviour; first line `# kind: <kind>`), or
 * expected-error.json (reason, file, line, field and message parts of the
 * RenderError), rendered with the real helm and kustomize from the harness.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderFiles, type RenderError, type ToolSet } from '@flotilla/render';
import { ensureTools } from '../clusters/index.ts';
import { FIXTURES, harnessTools, readOptions, readTree, sortObjects, workDirWith } from './render-fixture.support.ts';

const casesWith = (file: string) => fs.readdirSync(FIXTURES).filter((c) => fs.existsSync(path.join(FIXTURES, c, file)));
const cases = casesWith('expected.yaml');
const errorCases = casesWith('expected-error.json');

interface ExpectedError {
  reason: string;
  file?: string;
  line?: number;
  field?: string;
  /** Parts the message must contain. */
  message?: string[];
}

describe('renderFiles fixtures', () => {
  let tools: ToolSet;
  const dirs: string[] = [];
  beforeAll(async () => {
    await ensureTools(['helm', 'kustomize']);
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-fixture-cache-'));
    dirs.push(cache);
    tools = { ...(await harnessTools()), chartCacheDir: cache };
  }, 60 * 60_000);
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  function inputOf(name: string) {
    const files = readTree(path.join(FIXTURES, name, 'input'));
    const workDir = workDirWith(files);
    dirs.push(workDir);
    return { bundleName: name, files, options: readOptions(path.join(FIXTURES, name)), workDir, tools };
  }

  it.each(cases)('%s', async (name) => {
    const expectedText = fs.readFileSync(path.join(FIXTURES, name, 'expected.yaml'), 'utf8');
    const expectedKind = /^# kind: (\w+)/.exec(expectedText)?.[1];
    const expected = parseAllDocuments(expectedText).map((d) => d.toJS() as { kind: string; metadata: { name: string } }).filter(Boolean);

    const result = await renderFiles(inputOf(name));

    expect(result.kind).toBe(expectedKind);
    expect(sortObjects(result.objects)).toEqual(sortObjects(expected));
  });

  it.each(errorCases)('%s (error)', async (name) => {
    const expected = JSON.parse(fs.readFileSync(path.join(FIXTURES, name, 'expected-error.json'), 'utf8')) as ExpectedError;

    const error = (await renderFiles(inputOf(name)).then(
      () => undefined,
      (e: unknown) => e,
    )) as RenderError | undefined;

    expect(error?.name, 'render should fail with a RenderError').toBe('RenderError');
    expect({ reason: error?.reason, ...error?.location }).toEqual({
      reason: expected.reason,
      ...(expected.file !== undefined ? { file: expected.file } : {}),
      ...(expected.line !== undefined ? { line: expected.line } : {}),
      ...(expected.field !== undefined ? { field: expected.field } : {}),
    });
    for (const part of expected.message ?? []) expect(error?.message).toContain(part);
  });
});
