import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readChartsDirFiles, writeChartsDirFiles } from './charts-dir.js';
import { readCachedDependencies, writeCachedDependencies } from './dependency-cache.js';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-dep-cache-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('dependency cache', () => {
  it('stores the charts/ files by digest and gives them back', () => {
    const cache = tmp();
    const files = new Map([['redis-19.0.0.tgz', Buffer.from('archive')], ['common-2.0.0.tgz', Buffer.from('other')]]);
    writeCachedDependencies(cache, 'k1', files);
    expect(readCachedDependencies(cache, 'k1')).toEqual(files);
    expect(readCachedDependencies(cache, 'k2')).toBeUndefined();
  });

  it('a stored file that is gone or altered is a miss', () => {
    const cache = tmp();
    writeCachedDependencies(cache, 'k', new Map([['a.tgz', Buffer.from('archive')]]));
    const [stored] = fs.readdirSync(path.join(cache, 'dependency-files'));
    fs.writeFileSync(path.join(cache, 'dependency-files', stored ?? ''), 'tampered');
    expect(readCachedDependencies(cache, 'k')).toBeUndefined();
    fs.rmSync(path.join(cache, 'dependency-files'), { recursive: true });
    expect(readCachedDependencies(cache, 'k')).toBeUndefined();
  });
});

describe('charts/ files', () => {
  it("makes charts/'s top-level files exactly the given ones, leaving subchart directories alone", () => {
    const chart = tmp();
    fs.mkdirSync(path.join(chart, 'charts', 'vendored'), { recursive: true });
    fs.writeFileSync(path.join(chart, 'charts', 'vendored', 'Chart.yaml'), 'name: vendored\n');
    fs.writeFileSync(path.join(chart, 'charts', 'old-1.0.0.tgz'), 'old');
    writeChartsDirFiles(chart, new Map([['new-2.0.0.tgz', Buffer.from('new')]]));
    expect(readChartsDirFiles(chart)).toEqual(new Map([['new-2.0.0.tgz', Buffer.from('new')]]));
    expect(fs.existsSync(path.join(chart, 'charts', 'vendored', 'Chart.yaml'))).toBe(true);
  });
});
