/**
 * Builds, caches and locates the pinned upstream binaries of the harness.
 *
 * The Go sources are the small modules under test/clusters/go/ (one per
 * dependency graph: kube = etcd + kube-apiserver/controller-manager/scheduler
 * + kubectl, kwok, helm, kustomize; registry has a cache key of its own so adding
 * it did not rebuild Kubernetes). They are built with the machine's Go
 * toolchain through the Go module proxy into
 *   ~/.cache/flotilla-clusters/<key>/bin/<tool>   (or $FLOTILLA_CLUSTER_CACHE/<key>/bin)
 * where <key> changes whenever a go.mod/go.sum or the build flags change, so a
 * version bump builds into a fresh directory and a second run builds nothing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ToolBuildError } from './errors.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');
export const GO_DIR = path.join(REPO_ROOT, 'test', 'clusters', 'go');

/** Bump to force a rebuild when the way we build changes. */
const BUILD_REVISION = '1';
/** -trimpath and a stripped binary (-s -w) keep the cache small (~30% smaller). */
const BUILD_FLAGS = ['-trimpath'];
const BASE_LDFLAGS = ['-s', '-w'];

/**
 * Version stamps that upstream release builds set with -X (a `go build` of
 * the module alone reports v0.0.0-master, which breaks version checks in
 * kubectl, helm's `kubeVersion` constraints and client discovery).
 */
function versionLdflags(module: ModuleName): string[] {
  const x = (sym: string, value: string): string[] => ['-X', `${sym}=${value}`];
  if (module === 'kube') {
    const v = moduleVersion('kube', 'k8s.io/kubernetes');
    const [major, minor] = v.replace(/^v/, '').split('.');
    return ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version'].flatMap((pkg) => [
      ...x(`${pkg}.gitVersion`, v),
      ...x(`${pkg}.gitMajor`, major ?? ''),
      ...x(`${pkg}.gitMinor`, minor ?? ''),
      ...x(`${pkg}.gitTreeState`, 'clean'),
    ]);
  }
  if (module === 'helm') {
    // helm's Makefile: the Kubernetes version it assumes is client-go's v0.X -> 1.X.
    const clientGo = moduleVersion('helm', 'k8s.io/client-go').replace(/^v/, '').split('.');
    const k8sMajor = String(Number(clientGo[0] ?? '0') + 1);
    const k8sMinor = clientGo[1] ?? '';
    return [
      ...x('helm.sh/helm/v3/internal/version.version', moduleVersion('helm', 'helm.sh/helm/v3')),
      ...x('helm.sh/helm/v3/internal/version.gitTreeState', 'clean'),
      ...['helm.sh/helm/v3/pkg/lint/rules', 'helm.sh/helm/v3/pkg/chartutil'].flatMap((pkg) => [
        ...x(`${pkg}.k8sVersionMajor`, k8sMajor),
        ...x(`${pkg}.k8sVersionMinor`, k8sMinor),
      ]),
    ];
  }
  return [];
}

function buildArgs(module: ModuleName): string[] {
  return [...BUILD_FLAGS, `-ldflags=${[...BASE_LDFLAGS, ...versionLdflags(module)].join(' ')}`];
}

export type ToolName =
  | 'etcd'
  | 'kube-apiserver'
  | 'kube-controller-manager'
  | 'kube-scheduler'
  | 'kwok'
  | 'kubectl'
  | 'helm'
  | 'kustomize'
  | 'registry';

type ModuleName = 'kube' | 'kwok' | 'helm' | 'kustomize' | 'registry';
/** Modules built into the main (Kubernetes) cache key. */
const KUBE_KEY_MODULES = ['kube', 'kwok', 'helm', 'kustomize'] as const;
/**
 * Modules with a cache key of their own (added after the main key was in use:
 * adding or bumping them must not rebuild Kubernetes on every machine).
 */
const OWN_KEY_MODULES: readonly ModuleName[] = ['registry'];

interface ToolSpec {
  name: ToolName;
  module: ModuleName;
  /** Main package to build. */
  pkg: string;
  /** Go module whose version (from go.mod) is reported as the tool's version. */
  versionOf: string;
}

export const TOOLS: readonly ToolSpec[] = [
  { name: 'etcd', module: 'kube', pkg: 'go.etcd.io/etcd/server/v3', versionOf: 'go.etcd.io/etcd/server/v3' },
  { name: 'kube-apiserver', module: 'kube', pkg: 'k8s.io/kubernetes/cmd/kube-apiserver', versionOf: 'k8s.io/kubernetes' },
  {
    name: 'kube-controller-manager',
    module: 'kube',
    pkg: 'k8s.io/kubernetes/cmd/kube-controller-manager',
    versionOf: 'k8s.io/kubernetes',
  },
  { name: 'kube-scheduler', module: 'kube', pkg: 'k8s.io/kubernetes/cmd/kube-scheduler', versionOf: 'k8s.io/kubernetes' },
  { name: 'kubectl', module: 'kube', pkg: 'k8s.io/kubernetes/cmd/kubectl', versionOf: 'k8s.io/kubernetes' },
  { name: 'kwok', module: 'kwok', pkg: 'sigs.k8s.io/kwok/cmd/kwok', versionOf: 'sigs.k8s.io/kwok' },
  { name: 'helm', module: 'helm', pkg: 'helm.sh/helm/v3/cmd/helm', versionOf: 'helm.sh/helm/v3' },
  {
    name: 'kustomize',
    module: 'kustomize',
    pkg: 'sigs.k8s.io/kustomize/kustomize/v5',
    versionOf: 'sigs.k8s.io/kustomize/kustomize/v5',
  },
  {
    name: 'registry',
    module: 'registry',
    pkg: 'github.com/distribution/distribution/v3/cmd/registry',
    versionOf: 'github.com/distribution/distribution/v3',
  },
];

export const ALL_TOOLS: readonly ToolName[] = TOOLS.map((t) => t.name);
/** What a cluster needs, per profile. */
export const CLUSTER_TOOLS = {
  'api-only': ['etcd', 'kube-apiserver', 'kube-controller-manager'],
  workloads: ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'],
} as const satisfies Record<string, readonly ToolName[]>;

/** kwok's default "fast" Stage objects (node and pod lifecycles), copied from its module at build time. */
const KWOK_STAGE_FILES = [
  'kustomize/stage/node/fast/node-initialize.yaml',
  'kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml',
  'kustomize/stage/pod/fast/pod-ready.yaml',
  'kustomize/stage/pod/fast/pod-complete.yaml',
  'kustomize/stage/pod/fast/pod-delete.yaml',
];

function specOf(name: ToolName): ToolSpec {
  const spec = TOOLS.find((t) => t.name === name);
  if (!spec) throw new ToolBuildError('BuildFailed', `unknown tool ${JSON.stringify(name)}; known: ${ALL_TOOLS.join(', ')}`);
  return spec;
}

function readModuleFiles(module: ModuleName): { goMod: string; goSum: string } {
  const dir = path.join(GO_DIR, module);
  return {
    goMod: fs.readFileSync(path.join(dir, 'go.mod'), 'utf8'),
    goSum: fs.readFileSync(path.join(dir, 'go.sum'), 'utf8'),
  };
}

/** Version of `modulePath` as required by test/clusters/go/<module>/go.mod. */
export function moduleVersion(module: ModuleName, modulePath: string): string {
  const { goMod } = readModuleFiles(module);
  const escaped = modulePath.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const m = new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v\\S+)`, 'm').exec(goMod);
  if (!m?.[1]) throw new ToolBuildError('BuildFailed', `${modulePath} is not required by ${module}/go.mod`);
  return m[1];
}

/** Pinned versions, read from the go.mod files (the single source of truth). */
export function toolVersions(): Record<ToolName, string> {
  const out = {} as Record<ToolName, string>;
  for (const t of TOOLS) out[t.name] = moduleVersion(t.module, t.versionOf);
  return out;
}

let cachedKey: string | undefined;
/** Cache key: Kubernetes version plus a hash of every go.mod/go.sum and the build flags. */
export function cacheKey(): string {
  if (cachedKey) return cachedKey;
  const hash = createHash('sha256');
  hash.update(`rev=${BUILD_REVISION}\nstages=${KWOK_STAGE_FILES.join(',')}\nCGO_ENABLED=0\n`);
  for (const module of KUBE_KEY_MODULES) {
    const { goMod, goSum } = readModuleFiles(module);
    hash.update(`${module}\n${buildArgs(module).join(' ')}\n${goMod}\n${goSum}\n`);
  }
  cachedKey = `k8s-${moduleVersion('kube', 'k8s.io/kubernetes')}-${hash.digest('hex').slice(0, 12)}`;
  return cachedKey;
}

/** Cache key of a module: its own for OWN_KEY_MODULES, else the main key. */
export function moduleCacheKey(module: ModuleName): string {
  if (!OWN_KEY_MODULES.includes(module)) return cacheKey();
  const { goMod, goSum } = readModuleFiles(module);
  const hash = createHash('sha256');
  hash.update(`rev=${BUILD_REVISION}\nCGO_ENABLED=0\n${module}\n${buildArgs(module).join(' ')}\n${goMod}\n${goSum}\n`);
  const spec = TOOLS.find((t) => t.module === module);
  const version = spec ? moduleVersion(module, spec.versionOf) : 'v0';
  return `${module}-${version}-${hash.digest('hex').slice(0, 12)}`;
}

/**
 * Root of all cache keys: $FLOTILLA_CLUSTER_CACHE or ~/.cache/flotilla-clusters.
 * Outside the clone (like Go's build cache) so every clone and CI run on a
 * machine shares one build: a cold build takes 15-30 minutes on 2 cores.
 */
export function cacheRoot(): string {
  return process.env.FLOTILLA_CLUSTER_CACHE || path.join(os.homedir(), '.cache', 'flotilla-clusters');
}

/** Directory of the current cache key. */
export function cacheDir(): string {
  return path.join(cacheRoot(), cacheKey());
}

export function binDir(): string {
  return path.join(cacheDir(), 'bin');
}

/** Directory a tool's binary is cached in (its module's key). */
export function toolBinDir(name: ToolName): string {
  return path.join(cacheRoot(), moduleCacheKey(specOf(name).module), 'bin');
}

/** kwok stage configuration (written next to the binaries when kwok is built). */
export function kwokStagesPath(): string {
  return path.join(cacheDir(), 'kwok', 'stages.yaml');
}

function isBuilt(name: ToolName): boolean {
  if (!isExecutable(path.join(toolBinDir(name), name))) return false;
  if (name === 'kwok' && !fs.existsSync(kwokStagesPath())) return false;
  return true;
}

/** Tools of the current cache key that are already built. */
export function builtTools(): ToolName[] {
  return ALL_TOOLS.filter(isBuilt);
}

/** Path of a cached tool, or undefined if it is not built yet (never builds). */
export function cachedToolPath(name: ToolName): string | undefined {
  specOf(name);
  return isBuilt(name) ? path.join(toolBinDir(name), name) : undefined;
}

/** Path of a pinned tool; builds it first if the cache does not have it. */
export async function toolPath(name: ToolName, options: EnsureOptions = {}): Promise<string> {
  specOf(name);
  await ensureTools([name], options);
  return path.join(toolBinDir(name), name);
}

export interface EnsureOptions {
  /** Progress lines (default: silent). The CLI passes console.error. */
  log?: (line: string) => void;
  /** How many `go build`s run at once. Default: 2 if there is memory for it, else 1. */
  concurrency?: number;
  /** How long to wait for another process's build of the same key. Default 60 min. */
  lockTimeoutMs?: number;
}

export interface BuildResult {
  binDir: string;
  key: string;
  /** Tools built by this call (empty when everything was cached). */
  built: ToolName[];
  /** Wall-clock seconds per `go build` invocation (one per Go module), e.g. { kube: 412.3 }. */
  seconds: Partial<Record<ModuleName, number>>;
  totalSeconds: number;
}

/**
 * Makes sure the given tools (default: all) are in the cache, building the
 * missing ones. Safe to call from several processes at once: a lock directory
 * serialises builds of the same key, and waiters re-check the cache after it.
 */
export async function ensureTools(names: readonly ToolName[] = ALL_TOOLS, options: EnsureOptions = {}): Promise<BuildResult> {
  const started = Date.now();
  const result: BuildResult = { binDir: binDir(), key: cacheKey(), built: [], seconds: {}, totalSeconds: 0 };
  // Tools grouped by cache key: the main key first, then modules with their own key.
  const byKey = new Map<string, ToolName[]>();
  for (const n of names) {
    const key = moduleCacheKey(specOf(n).module);
    byKey.set(key, [...(byKey.get(key) ?? []), n]);
  }
  for (const [key, group] of byKey) await ensureInKey(key, group, options, result);
  result.totalSeconds = (Date.now() - started) / 1000;
  return result;
}

async function ensureInKey(key: string, names: readonly ToolName[], options: EnsureOptions, result: BuildResult): Promise<void> {
  if (names.every(isBuilt)) return;
  const keyDir = path.join(cacheRoot(), key);
  const keyBin = path.join(keyDir, 'bin');
  const started = Date.now();
  const release = await acquireLock(key, options.lockTimeoutMs ?? 60 * 60_000, options.log);
  try {
    const missing = names.filter((n) => !isBuilt(n));
    if (missing.length === 0) return;
    const go = findGo();
    const log = options.log ?? (() => {});
    fs.mkdirSync(keyBin, { recursive: true });
    fs.mkdirSync(path.join(keyDir, 'logs'), { recursive: true });
    // Leftovers of an interrupted build (we hold the lock: nobody else builds).
    for (const entry of fs.readdirSync(keyDir)) {
      if (entry.startsWith('.tmp-')) fs.rmSync(path.join(keyDir, entry), { recursive: true, force: true });
    }

    // One `go build` per Go module: packages of one module share compile work.
    const groups = new Map<ModuleName, ToolSpec[]>();
    for (const n of missing) {
      const spec = specOf(n);
      const list = groups.get(spec.module) ?? [];
      list.push(spec);
      groups.set(spec.module, list);
    }
    // Largest first, so the long kube build overlaps the small ones.
    const order: ModuleName[] = ([...KUBE_KEY_MODULES, ...OWN_KEY_MODULES] as ModuleName[]).filter((m) => groups.has(m));
    // A kube-apiserver link peaks at ~2.5 GiB and compiles at ~1 GiB per core:
    // run two builds at once only when there is clearly memory for both.
    const concurrency = options.concurrency ?? (os.freemem() > 8 * 1024 ** 3 ? 2 : 1);
    log(`building ${missing.join(', ')} into ${keyBin} (go: ${go}, ${concurrency} at a time)`);

    const built: ToolName[] = [];
    const seconds: BuildResult['seconds'] = {};
    const queue = [...order];
    const errors: unknown[] = [];
    const worker = async (): Promise<void> => {
      for (;;) {
        const module = queue.shift();
        if (!module) return;
        const specs = groups.get(module) ?? [];
        const t0 = Date.now();
        log(`  go build [${module}] ${specs.map((s) => s.name).join(' ')} …`);
        try {
          await buildModule(go, keyDir, module, specs);
          const secs = (Date.now() - t0) / 1000;
          seconds[module] = secs;
          built.push(...specs.map((s) => s.name));
          log(`  go build [${module}] done in ${secs.toFixed(1)} s`);
        } catch (err) {
          errors.push(err);
          queue.length = 0;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, order.length) }, worker));
    if (errors.length > 0) throw errors[0];
    result.built.push(...built);
    Object.assign(result.seconds, seconds);
    recordBuild(keyDir, { built, seconds, totalSeconds: (Date.now() - started) / 1000 });
  } finally {
    release();
  }
}

function recordBuild(keyDir: string, result: Pick<BuildResult, 'built' | 'seconds' | 'totalSeconds'>): void {
  const file = path.join(keyDir, 'builds.json');
  let previous: unknown[] = [];
  try {
    previous = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown[];
  } catch {
    // first build
  }
  previous.push({ at: new Date().toISOString(), built: result.built, seconds: result.seconds, totalSeconds: result.totalSeconds });
  fs.writeFileSync(file, JSON.stringify(previous, null, 2));
}

/** Binary name `go build -o dir/` gives a main package: its last path element, skipping a /vN suffix. */
function defaultBinaryName(pkg: string): string {
  const parts = pkg.split('/');
  let last = parts[parts.length - 1] ?? pkg;
  if (/^v\d+$/.test(last) && parts.length > 1) last = parts[parts.length - 2] ?? last;
  return last;
}

async function buildModule(go: string, keyDir: string, module: ModuleName, specs: ToolSpec[]): Promise<void> {
  const moduleDir = path.join(GO_DIR, module);
  const logFile = path.join(keyDir, 'logs', `build-${module}.log`);
  const tmp = fs.mkdtempSync(path.join(keyDir, `.tmp-${module}-`));
  try {
    const args = ['build', ...buildArgs(module), '-o', tmp + '/', ...specs.map((s) => s.pkg)];
    const env = {
      ...process.env,
      // Use exactly the machine's Go (never download another toolchain) and the
      // committed go.sum (fail loudly instead of editing go.mod).
      GOTOOLCHAIN: 'local',
      GOFLAGS: '-mod=readonly',
      // Static binaries: no C toolchain needed, no libc coupling.
      CGO_ENABLED: '0',
    };
    const code = await runToLog(go, args, moduleDir, env, logFile);
    if (code !== 0) {
      throw new ToolBuildError('BuildFailed', `go build of ${specs.map((s) => s.name).join(', ')} (test/clusters/go/${module}) exited with ${code}`, {
        component: `go build ${module}`,
        logFile,
        logTail: tailFile(logFile, 30),
      });
    }
    if (module === 'kwok') writeKwokStages(go, moduleDir, env, logFile);
    for (const spec of specs) {
      const from = path.join(tmp, defaultBinaryName(spec.pkg));
      if (!fs.existsSync(from)) {
        throw new ToolBuildError('BuildFailed', `go build produced no ${defaultBinaryName(spec.pkg)} for ${spec.name}`, {
          component: `go build ${module}`,
          logFile,
          logTail: tailFile(logFile, 30),
        });
      }
      fs.renameSync(from, path.join(keyDir, 'bin', spec.name));
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function writeKwokStages(go: string, moduleDir: string, env: NodeJS.ProcessEnv, logFile: string): void {
  const res = spawnSync(go, ['list', '-m', '-f', '{{.Dir}}', 'sigs.k8s.io/kwok'], { cwd: moduleDir, env, encoding: 'utf8' });
  const dir = res.stdout?.trim();
  if (res.status !== 0 || !dir) {
    throw new ToolBuildError('BuildFailed', `could not locate the sigs.k8s.io/kwok module for its stage files: ${res.stderr}`, {
      component: 'kwok',
      logFile,
    });
  }
  const docs = KWOK_STAGE_FILES.map((f) => fs.readFileSync(path.join(dir, f), 'utf8').trim());
  const out = kwokStagesPath();
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out + '.tmp', `# kwok default Stage objects, copied from ${dir}\n---\n${docs.join('\n---\n')}\n`);
  fs.renameSync(out + '.tmp', out);
}

function runToLog(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, logFile: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const fd = fs.openSync(logFile, 'w');
    fs.writeSync(fd, `$ (cd ${cwd} && ${cmd} ${args.map((a) => (/\s/.test(a) ? `'${a}'` : a)).join(' ')})\n`);
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', fd, fd] });
    fs.closeSync(fd);
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** Locates the Go toolchain: $GO, then PATH, then /usr/local/go/bin/go. */
export function findGo(): string {
  if (process.env.GO) {
    // An explicit choice is not second-guessed.
    if (isExecutable(process.env.GO)) return process.env.GO;
    throw new ToolBuildError('GoMissing', `GO=${process.env.GO} is not an executable; cannot build the cluster binaries into ${cacheDir()}`);
  }
  const candidates: string[] = [];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) if (dir) candidates.push(path.join(dir, 'go'));
  candidates.push('/usr/local/go/bin/go');
  const found = candidates.find(isExecutable);
  if (!found) {
    throw new ToolBuildError(
      'GoMissing',
      `the cluster binaries are not cached in ${cacheDir()} and no Go toolchain was found to build them ` +
        `(looked at $GO, PATH and /usr/local/go/bin/go). Install Go ≥ 1.26 or set GO=/path/to/go.`,
    );
  }
  return found;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export function tailFile(file: string, lines = 20): string {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const len = Math.min(size, 64 * 1024);
      const buf = Buffer.alloc(len);
      fs.readSync(fd, buf, 0, len, size - len);
      const text = buf.toString('utf8').replace(/\s+$/, '');
      return text.split('\n').slice(-lines).join('\n');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '(no log)';
  }
}

/** A lock directory next to the key directory; stale locks (dead pid) are taken over. */
async function acquireLock(key: string, timeoutMs: number, log?: (line: string) => void): Promise<() => void> {
  fs.mkdirSync(cacheRoot(), { recursive: true });
  const lock = path.join(cacheRoot(), `${key}.lock`);
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      return () => fs.rmSync(lock, { recursive: true, force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let owner = NaN;
    try {
      owner = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
    } catch {
      // being created or removed right now
    }
    if (Number.isInteger(owner) && owner > 0 && !pidAlive(owner)) {
      fs.rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new ToolBuildError('LockTimeout', `waited ${Math.round(timeoutMs / 1000)} s for the build lock ${lock} (held by pid ${owner})`);
    }
    if (!announced) {
      log?.(`waiting for another build (pid ${owner}) holding ${lock} …`);
      announced = true;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
