/** A CNCF distribution registry on 127.0.0.1 for tests (plain HTTP, storage in a temp dir). */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export interface OciRegistry {
  /** host:port */
  host: string;
  push(helm: string, tgz: string, repoPath?: string): void;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startOciRegistry(registryBin: string): Promise<OciRegistry> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-registry-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const config = path.join(dir, 'config.yml');
  fs.writeFileSync(
    config,
    `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${path.join(dir, 'data')}\nhttp:\n  addr: ${host}\n`,
  );
  const child = spawn(registryBin, ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const deadline = Date.now() + 20_000;
  for (;;) {
    const ok = await fetch(`http://${host}/v2/`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`registry did not start on ${host}: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const helmHome = path.join(dir, 'helm');
  return {
    host,
    push(helm, tgz, repoPath = 'charts') {
      execFileSync(helm, ['push', tgz, `oci://${host}/${repoPath}`, '--plain-http'], {
        stdio: 'pipe',
        env: { ...process.env, HELM_CONFIG_HOME: helmHome, HELM_CACHE_HOME: helmHome, HELM_DATA_HOME: helmHome },
      });
    },
    async stop() {
      if (child.exitCode === null && child.pid) {
        const exited = new Promise((r) => child.once('exit', r));
        const kill = (sig: NodeJS.Signals): void => {
          try {
            process.kill(-(child.pid as number), sig);
          } catch {
            // already gone
          }
        };
        kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) kill('SIGKILL');
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
