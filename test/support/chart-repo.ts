/** A Helm chart repository for tests: charts packaged with real `helm package`, indexed with `helm repo index`, served on 127.0.0.1. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export interface ChartRepo {
  url: string;
  dir: string;
  /** Requests served so far (path list). */
  requests: string[];
  stop(): Promise<void>;
}

/** Chart files (path in the chart → content) added to or replacing the minimal chart's. */
export type ChartFiles = Record<string, string>;

/** Writes a minimal chart `name` at `version` (plus `files`) under `dir` and packages it; returns the .tgz path. */
export function packageChart(helm: string, dir: string, name: string, version: string, files: ChartFiles = {}): string {
  const src = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-chart-src-'));
  const chart = path.join(src, name);
  fs.mkdirSync(path.join(chart, 'templates'), { recursive: true });
  fs.writeFileSync(path.join(chart, 'Chart.yaml'), `apiVersion: v2\nname: ${name}\nversion: ${version}\n`);
  fs.writeFileSync(path.join(chart, 'templates', 'cm.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  v: "${version}"\n`);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(chart, rel)), { recursive: true });
    fs.writeFileSync(path.join(chart, rel), text);
  }
  execFileSync(helm, ['package', chart, '--destination', dir], { stdio: 'pipe' });
  fs.rmSync(src, { recursive: true, force: true });
  return path.join(dir, `${name}-${version}.tgz`);
}

export async function startChartRepo(helm: string, charts: { name: string; version: string; files?: ChartFiles }[], auth?: { username: string; password: string }): Promise<ChartRepo> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-chart-repo-'));
  for (const c of charts) packageChart(helm, dir, c.name, c.version, c.files);
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    if (auth) {
      const want = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
      if (req.headers.authorization !== want) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="charts"' }).end();
        return;
      }
    }
    const urlPath = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    const file = path.join(dir, path.basename(urlPath));
    if (urlPath !== `/${path.basename(urlPath)}` || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  execFileSync(helm, ['repo', 'index', dir, '--url', url], { stdio: 'pipe' });
  return {
    url,
    dir,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        fs.rmSync(dir, { recursive: true, force: true });
      }),
  };
}
