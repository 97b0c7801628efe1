import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoPath } from '../support/paths.ts';
import { TagWorkspace } from './support/tag-workspace.fixture.ts';

const RULE = '@nx/enforce-module-boundaries';

/** The hub/agent/core boundaries are lint errors, not conventions: prove the rule fires, with its own message. */
async function lint(file: string, code: string, ruleId = RULE): Promise<string[]> {
  const eslint = new ESLint({ cwd: repoPath('.') });
  const [result] = await eslint.lintText(code, { filePath: repoPath(file) });
  return result!.messages.filter((m) => m.ruleId === ruleId).map((m) => m.message);
}

const importing = (specifier: string, name: string) => `import { ${name} } from '${specifier}';\nexport const x = ${name};\n`;

describe('module boundaries in the workspace', () => {
  it('forbids the agent from importing hub code', async () => {
    expect(await lint('agent/src/probe.ts', importing('../../hub/src/platform/config/config.js', 'loadConfig'))).toEqual([
      'Projects cannot be imported by a relative or absolute path, and must begin with a npm scope',
    ]);
    expect(await lint('agent/src/probe.ts', importing('@flotilla/hub/dist/main.js', 'main'))).toEqual(['Imports of apps are forbidden']);
  });

  it('forbids the hub from importing agent code', async () => {
    expect(await lint('hub/src/probe.ts', importing('../../agent/src/main.js', 'main'))).toEqual([
      'Projects cannot be imported by a relative or absolute path, and must begin with a npm scope',
    ]);
    expect(await lint('hub/src/probe.ts', importing('@flotilla/agent/dist/main.js', 'main'))).toEqual(['Imports of apps are forbidden']);
  });

  it('forbids core from importing the hub or the agent', async () => {
    // Both depend on core, so the rule reports the cycle first.
    for (const app of ['hub', 'agent']) {
      const messages = await lint('core/src/probe.ts', importing(`@flotilla/${app}/dist/main.js`, 'main'));
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatch(new RegExp(`^Circular dependency between "@flotilla/core" and "@flotilla/${app}" detected`));
    }
    expect(await lint('core/src/probe.ts', importing('../../hub/src/main.js', 'main'))).toEqual([
      'Projects cannot be imported by a relative or absolute path, and must begin with a npm scope',
    ]);
  });

  it('keeps core pure: no I/O or framework packages', async () => {
    const pure = (specifier: string) => lint('core/src/labels/probe.ts', importing(specifier, 'x'), 'no-restricted-imports');
    expect(await pure('node:fs')).toEqual([
      "'node:fs' import is restricted from being used by a pattern. @flotilla/core is pure: it imports only its own files, @flotilla/proto, node:crypto and yaml.",
    ]);
    expect(await pure('@kubernetes/client-node')).toHaveLength(1);
    expect(await pure('@flotilla/proto')).toEqual([]);
    expect(await pure('yaml')).toEqual([]);
    expect(await pure('./label.rules.js')).toEqual([]);
  });

  it('lets the hub and the agent import the proto contract and core, and core import proto', async () => {
    expect(await lint('agent/src/probe.ts', importing('@flotilla/proto', 'bearer'))).toEqual([]);
    expect(await lint('agent/src/probe.ts', importing('@flotilla/core', 'isDnsLabel'))).toEqual([]);
    expect(await lint('hub/src/probe.ts', importing('@flotilla/core', 'isDnsLabel'))).toEqual([]);
    expect(await lint('core/src/probe.ts', importing('@flotilla/proto', 'DeploymentState'))).toEqual([]);
  });
});

// In the workspace hub and agent are applications, so the rule rejects imports
// of them before it looks at tags. The tag policy itself is checked on a
// miniature workspace with the same eslint.config.mjs where every tag is a library.
describe('the tag policy of eslint.config.mjs', () => {
  let workspace: TagWorkspace;
  beforeAll(async () => {
    workspace = await TagWorkspace.create();
  }, 120_000);
  afterAll(() => workspace?.remove());

  it.each([
    ['agent', 'hub', 'A project tagged with "scope:agent" can only depend on libs tagged with "scope:proto", "scope:core"'],
    ['hub', 'agent', 'A project tagged with "scope:hub" can only depend on libs tagged with "scope:proto", "scope:core", "scope:render"'],
    ['agent', 'render', 'A project tagged with "scope:agent" can only depend on libs tagged with "scope:proto", "scope:core"'],
    ['render', 'hub', 'A project tagged with "scope:render" can only depend on libs tagged with "scope:proto", "scope:core"'],
    ['cli', 'hub', 'A project tagged with "scope:cli" can only depend on libs tagged with "scope:proto", "scope:core", "scope:render"'],
    ['core', 'hub', 'A project tagged with "scope:core" can only depend on libs tagged with "scope:proto"'],
    ['core', 'agent', 'A project tagged with "scope:core" can only depend on libs tagged with "scope:proto"'],
  ])('forbids %s → %s', async (from, to, message) => {
    expect(await workspace.boundaryMessages(`${from}/src/probe.ts`, importing(`@flotilla/${to}`, to))).toEqual([message]);
  });

  it.each([
    ['agent', 'core'],
    ['hub', 'core'],
    ['hub', 'proto'],
    ['core', 'proto'],
    ['hub', 'render'],
    ['render', 'core'],
    ['cli', 'render'],
  ])('allows %s → %s', async (from, to) => {
    expect(await workspace.boundaryMessages(`${from}/src/probe.ts`, importing(`@flotilla/${to}`, to))).toEqual([]);
  });
});
