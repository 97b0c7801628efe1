import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoPath } from '../../support/paths.ts';

const run = promisify(execFile);

/** The tagged projects of the repository: package name suffix → nx tag. */
const PROJECTS = {
  hub: 'scope:hub',
  agent: 'scope:agent',
  core: 'scope:core',
  proto: 'scope:proto',
  render: 'scope:render',
  cli: 'scope:cli',
} as const;

/**
 * A miniature copy of the workspace for the module-boundary rule: the real
 * eslint.config.mjs and nx.json, and one *library* per tag of the repository
 * (hub and agent are applications in the real workspace, so there the rule
 * stops at "Imports of apps are forbidden" before it ever looks at tags).
 * Linting runs in a child process so that nx takes this folder as its root.
 */
export class TagWorkspace {
  readonly root = mkdtempSync(join(tmpdir(), 'flotilla-tags-'));
  private readonly env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };

  /** Creates the workspace and its nx project graph (the rule only reads a cached graph). */
  static async create(): Promise<TagWorkspace> {
    const workspace = new TagWorkspace();
    await run(process.execPath, [join(workspace.root, 'node_modules/nx/dist/bin/nx.js'), 'show', 'projects'], { cwd: workspace.root, env: workspace.env });
    return workspace;
  }

  private constructor() {
    copyFileSync(repoPath('eslint.config.mjs'), join(this.root, 'eslint.config.mjs'));
    copyFileSync(repoPath('nx.json'), join(this.root, 'nx.json'));
    const names = Object.keys(PROJECTS);
    writeFileSync(join(this.root, 'package.json'), JSON.stringify({ name: 'tags', private: true, type: 'module', workspaces: names }));
    // The repository's node_modules, with @flotilla/* pointing at the miniature projects.
    mkdirSync(join(this.root, 'node_modules/@flotilla'), { recursive: true });
    for (const entry of readdirSync(repoPath('node_modules'))) {
      if (entry !== '@flotilla') symlinkSync(repoPath(`node_modules/${entry}`), join(this.root, 'node_modules', entry));
    }
    for (const [name, tag] of Object.entries(PROJECTS)) {
      mkdirSync(join(this.root, name, 'src'), { recursive: true });
      const pkg = { name: `@flotilla/${name}`, private: true, type: 'module', exports: { '.': './src/index.ts' }, nx: { tags: [tag] } };
      writeFileSync(join(this.root, name, 'package.json'), JSON.stringify(pkg));
      writeFileSync(join(this.root, name, 'src/index.ts'), `export const ${name} = 1;\n`);
      symlinkSync(join(this.root, name), join(this.root, 'node_modules/@flotilla', name));
    }
  }

  /** Messages of @nx/enforce-module-boundaries for `code` as the file `file` (e.g. `agent/src/probe.ts`). */
  async boundaryMessages(file: string, code: string): Promise<string[]> {
    writeFileSync(join(this.root, file), code);
    const eslint = join(this.root, 'node_modules/eslint/bin/eslint.js');
    const output = join(this.root, 'eslint-result.json');
    // ESLint exits 1 when it reports errors; the result file tells what they are.
    await run(process.execPath, [eslint, '--format', 'json', '--output-file', output, file], { cwd: this.root, env: this.env }).catch(() => undefined);
    const [result] = JSON.parse(readFileSync(output, 'utf8')) as { messages: { ruleId: string | null; message: string }[] }[];
    return result!.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
