/**
 * Real Git served by real Git, for tests of code that fetches repositories:
 *
 *   - `createRepo()`: a bare repository (what gets served) plus a working clone
 *     whose commits, force-pushes and tags are pushed into it;
 *   - `startSmartHttpServer()`: `git http-backend` behind a Node HTTP server,
 *     optionally with Basic auth;
 *   - `startSshServer()`: a private `sshd` on a free port with fresh host and
 *     client keys.
 *
 * All three serve the same bare repositories, so one test can compare what
 * file://, HTTP and SSH clients see.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from './ports.ts';

// ---------------------------------------------------------------------------
// Running git

/** A git command that exited non-zero; the message carries git's stderr. */
export class GitError extends Error {
  readonly args: readonly string[];
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;

  constructor(args: readonly string[], exitCode: number | null, stdout: string, stderr: string) {
    super(`git ${args.join(' ')} failed (exit ${exitCode ?? 'signal'}): ${stderr.trim() || stdout.trim() || '(no output)'}`);
    this.name = 'GitError';
    this.args = args;
    this.exitCode = exitCode;
    this.stdout = stdout;
    this.stderr = stderr;
  }
}

export interface RunGitOptions {
  cwd?: string;
  /** Added to the hermetic environment (see gitEnv). */
  env?: Record<string, string>;
}

/**
 * The environment for every git these helpers run: the machine's and the
 * user's git config are ignored (a developer's commit.gpgsign or url.insteadOf
 * must not change a test), GIT_* variables inherited from a hook that runs the
 * tests (GIT_DIR, GIT_INDEX_FILE) are dropped, and git never prompts.
 */
export function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('GIT_')) env[key] = value;
  return { ...env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0', ...extra };
}

/** Runs `git args...`; resolves with trimmed stdout, rejects with a GitError carrying stderr. */
export function runGit(args: readonly string[], options: RunGitOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', [...args], { cwd: options.cwd, env: gitEnv(options.env), maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout.trim());
      const exitCode = typeof error.code === 'number' ? error.code : null;
      // ENOENT, a signal or maxBuffer leave no output of git's: keep Node's own message then.
      const said = stderr || (exitCode !== null && stdout) ? stderr : error.message;
      reject(new GitError(args, exitCode, stdout, said));
    });
  });
}

// ---------------------------------------------------------------------------
// Repositories

export interface PushOptions {
  /** What to push (a sha, branch or any revision); default HEAD. */
  commit?: string;
  /** Where: a branch name or a full ref; default `main`. */
  ref?: string;
  /** Allow non-fast-forward updates, e.g. moving a branch back to an older sha. */
  force?: boolean;
}

export interface TestRepo {
  /** Directory holding the bare repository: the `root` to give the servers. */
  root: string;
  /** The bare repository's name under `root`, for `server.url(repo.name)`. */
  name: string;
  /** Absolute path of the bare repository. */
  barePath: string;
  /** The working clone's tree (its `origin` is the bare repository). */
  path: string;
  /** `file://` URL of the bare repository. */
  fileUrl: string;
  /** Writes files (creating folders) relative to the work tree; `null` deletes one. */
  writeFiles(files: Record<string, string | null>): Promise<void>;
  /** Stages everything, commits, pushes HEAD to `main`; resolves with the full sha. */
  commit(message: string): Promise<string>;
  /** Pushes any commit to any branch of the bare repository. */
  push(options?: PushOptions): Promise<void>;
  /** Tags `sha` (default HEAD), lightweight or annotated, and pushes the tag (forced); resolves with the tagged commit's sha. */
  tag(name: string, sha?: string, options?: { message?: string }): Promise<string>;
  /** Runs git in the work tree; trimmed stdout, GitError with stderr on failure. */
  git(...args: string[]): Promise<string>;
  /** Removes the work tree and the bare repository (and `root` if createRepo made it). */
  dispose(): Promise<void>;
}

/**
 * A bare repository `<dir>/<name>` (default: a fresh temp dir) on branch
 * `main`, empty until the first commit, and a working clone in its own temp
 * dir. Several repositories can share one `dir` to be served side by side.
 */
export async function createRepo(dir?: string, name = 'remote.git'): Promise<TestRepo> {
  const ownRoot = dir === undefined;
  const root = ownRoot ? await mkdtemp(path.join(os.tmpdir(), 'flotilla-git-')) : path.resolve(dir);
  const barePath = path.join(root, name);
  if (existsSync(barePath)) throw new Error(`createRepo: ${barePath} already exists`);
  await mkdir(root, { recursive: true });
  const work = await mkdtemp(path.join(os.tmpdir(), 'flotilla-git-work-'));

  const git = (...args: string[]) => runGit(args, { cwd: work });
  await runGit(['init', '--quiet', '--bare', '-b', 'main', barePath]);
  // init + remote add rather than clone: cloning an empty repository warns and leaves no branch.
  await git('init', '--quiet', '-b', 'main');
  await git('config', 'user.name', 'Flotilla Test');
  await git('config', 'user.email', 'test@flotilla.invalid');
  await git('remote', 'add', 'origin', barePath);

  const push = async (options: PushOptions = {}) => {
    const ref = fullRef(options.ref ?? 'main', 'refs/heads/');
    await git('push', '--quiet', ...(options.force ? ['--force'] : []), 'origin', `${options.commit ?? 'HEAD'}:${ref}`);
  };

  return {
    root,
    name,
    barePath,
    path: work,
    fileUrl: `file://${barePath}`,
    git,
    push,
    async writeFiles(files) {
      for (const [relative, content] of Object.entries(files)) {
        const file = insideTree(work, relative);
        if (content === null) {
          await rm(file, { force: true });
        } else {
          await mkdir(path.dirname(file), { recursive: true });
          await writeFile(file, content);
        }
      }
    },
    async commit(message) {
      await git('add', '-A');
      await git('commit', '--quiet', '-m', message);
      await push();
      return git('rev-parse', 'HEAD');
    },
    async tag(tagName, sha = 'HEAD', options = {}) {
      const annotate = options.message === undefined ? [] : ['-a', '-m', options.message];
      await git('tag', '--force', ...annotate, tagName, sha);
      await git('push', '--quiet', '--force', 'origin', `refs/tags/${tagName}`);
      return git('rev-parse', `${tagName}^{commit}`);
    },
    async dispose() {
      await rm(work, { recursive: true, force: true });
      await rm(ownRoot ? root : barePath, { recursive: true, force: true });
    },
  };
}

function fullRef(ref: string, prefix: string): string {
  return ref.startsWith('refs/') ? ref : `${prefix}${ref}`;
}

/** Resolves a test-given relative path, refusing ones that would write outside the work tree. */
function insideTree(tree: string, relative: string): string {
  const file = path.resolve(tree, relative);
  if (path.isAbsolute(relative) || !file.startsWith(tree + path.sep) || file.startsWith(path.join(tree, '.git') + path.sep)) {
    throw new Error(`writeFiles: ${relative} is not a path inside the work tree`);
  }
  return file;
}

// ---------------------------------------------------------------------------
// Child processes

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** SIGTERM, then SIGKILL if it is still there after `graceMs`. */
async function terminate(child: ChildProcess, graceMs = 3_000): Promise<void> {
  if (hasExited(child)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Keeps the last `limit` characters of a stream, for error messages. */
function tail(stream: NodeJS.ReadableStream | null, limit = 16_000): () => string {
  let text = '';
  stream?.on('data', (chunk: Buffer) => (text = (text + chunk.toString()).slice(-limit)));
  return () => text;
}

// ---------------------------------------------------------------------------
// Smart HTTP

const HTTP_BACKEND = '/usr/lib/git-core/git-http-backend';

export interface SmartHttpServerOptions {
  /** Directory holding bare repositories (every one is served). */
  root: string;
  /** With username/password set, every request needs them as Basic auth. */
  username?: string;
  password?: string;
}

export interface HttpRequestRecord {
  method: string;
  /** Path and query as requested. */
  url: string;
  status: number;
  /** The request's Content-Encoding, e.g. `gzip` for large fetch negotiations. */
  contentEncoding?: string;
  /** What git-http-backend wrote to stderr, if anything. */
  stderr?: string;
}

export interface SmartHttpServer {
  /** `http://127.0.0.1:<port>/<repoName>`, without credentials. */
  url(repoName: string): string;
  /** Requests received so far, including refused ones. */
  readonly requests: number;
  /** One record per finished request, oldest first. */
  readonly log: readonly HttpRequestRecord[];
  close(): Promise<void>;
}

/**
 * git's smart HTTP protocol: a Node server that hands each request to
 * `git http-backend` as CGI, the way Apache or nginx+fcgiwrap do. Pushes
 * over HTTP are allowed only with auth configured (http-backend refuses
 * receive-pack without REMOTE_USER).
 */
export async function startSmartHttpServer(options: SmartHttpServerOptions): Promise<SmartHttpServer> {
  if (!existsSync(HTTP_BACKEND)) throw new Error(`${HTTP_BACKEND} not found: install git (apt-get install -y git)`);
  const root = path.resolve(options.root);
  const auth = options.username !== undefined || options.password !== undefined;
  const expected = `${options.username ?? ''}:${options.password ?? ''}`;
  const log: HttpRequestRecord[] = [];
  const backends = new Set<ChildProcess>();
  let requests = 0;

  const server = http.createServer((req, res) => {
    requests++;
    const record: HttpRequestRecord = { method: req.method ?? 'GET', url: req.url ?? '/', status: 0 };
    if (typeof req.headers['content-encoding'] === 'string') record.contentEncoding = req.headers['content-encoding'];
    res.once('finish', () => ((record.status = res.statusCode), log.push(record)));
    if (auth && basicCredentials(req.headers.authorization) !== expected) {
      req.resume();
      res.writeHead(401, { 'www-authenticate': 'Basic realm="git"', 'content-type': 'text/plain' }).end('authentication required\n');
      return;
    }
    const backend = runHttpBackend(root, req, res, auth ? options.username ?? '' : undefined, record);
    backends.add(backend);
    backend.once('exit', () => backends.delete(backend));
  });
  // Port 0 rather than freePort(): the kernel picks and we bind in one step, no race.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: (repoName) => `http://127.0.0.1:${port}/${repoName.replace(/^\/+/, '')}`,
    get requests() {
      return requests;
    },
    log,
    async close() {
      server.closeAllConnections();
      await Promise.all([new Promise<void>((resolve) => server.close(() => resolve())), ...[...backends].map((child) => terminate(child))]);
    },
  };
}

/** `user:password` from a Basic Authorization header, or undefined. */
function basicCredentials(header: string | undefined): string | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  return match?.[1] === undefined ? undefined : Buffer.from(match[1], 'base64').toString('utf8');
}

/** Runs one CGI request: request body to stdin, `Status:`/headers/body from stdout to the response. */
function runHttpBackend(root: string, req: http.IncomingMessage, res: http.ServerResponse, remoteUser: string | undefined, record: HttpRequestRecord): ChildProcess {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const cgi: Record<string, string> = {
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: '1',
    GATEWAY_INTERFACE: 'CGI/1.1',
    SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
    REQUEST_METHOD: req.method ?? 'GET',
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.replace(/^\?/, ''),
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
  };
  const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : undefined);
  const optional: Record<string, string | undefined> = {
    CONTENT_TYPE: header('content-type'),
    // Absent for chunked bodies (git uses them for large pushes); http-backend then reads to EOF.
    CONTENT_LENGTH: header('content-length'),
    // http-backend inflates gzip bodies itself when told the encoding.
    HTTP_CONTENT_ENCODING: header('content-encoding'),
    // Without it the server silently falls back to protocol v0.
    HTTP_GIT_PROTOCOL: header('git-protocol'),
    REMOTE_USER: remoteUser,
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) cgi[key] = value;

  const child = track(spawn(HTTP_BACKEND, [], { env: gitEnv(cgi), stdio: ['pipe', 'pipe', 'pipe'] }));
  const stderr = tail(child.stderr);
  // The backend may exit before reading the whole body (e.g. a 404): not an error of ours.
  child.stdin?.on('error', () => undefined);
  req.pipe(child.stdin!);
  res.once('close', () => {
    if (!hasExited(child)) child.kill('SIGKILL');
  });

  let head = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    head = Buffer.concat([head, chunk]);
    const split = headerEnd(head);
    if (!split) return;
    child.stdout!.off('data', onData);
    const { status, headers } = parseCgiHeaders(head.subarray(0, split.index).toString('latin1'));
    res.writeHead(status, headers);
    res.write(head.subarray(split.index + split.length));
    child.stdout!.pipe(res);
  };
  child.stdout!.on('data', onData);
  child.once('close', (code) => {
    if (stderr()) record.stderr = stderr();
    if (res.headersSent) return;
    // Exited before a complete header block: an error of the backend.
    res.writeHead(502, { 'content-type': 'text/plain' }).end(`git-http-backend exited with ${code} before a response:\n${stderr()}`);
  });
  child.once('error', (error) => {
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end(`cannot run ${HTTP_BACKEND}: ${error.message}\n`);
  });
  return child;
}

/** Where the CGI header block ends: the first blank line, CRLF or LF style. */
function headerEnd(buffer: Buffer): { index: number; length: number } | undefined {
  const crlf = buffer.indexOf('\r\n\r\n');
  const lf = buffer.indexOf('\n\n');
  if (crlf === -1 && lf === -1) return undefined;
  if (lf === -1 || (crlf !== -1 && crlf < lf)) return { index: crlf, length: 4 };
  return { index: lf, length: 2 };
}

function parseCgiHeaders(block: string): { status: number; headers: Record<string, string | string[]> } {
  let status = 200;
  const headers: Record<string, string | string[]> = {};
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') {
      status = Number.parseInt(value, 10) || 500;
      continue;
    }
    const key = name.toLowerCase();
    const previous = headers[key];
    headers[key] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return { status, headers };
}

// ---------------------------------------------------------------------------
// SSH

const SSHD = '/usr/sbin/sshd';

export interface SshServerOptions {
  /** Directory holding bare repositories. */
  root: string;
  /** The sshd binary (default /usr/sbin/sshd); tests of the missing-binary error change it. */
  sshdPath?: string;
}

export interface SshKeyPair {
  /** OpenSSH private key; ssh refuses key files readable by others, so write it with mode 0600. */
  privateKey: string;
  /** `ssh-ed25519 AAAA... comment` */
  publicKey: string;
}

export interface TestSshServer {
  port: number;
  /** The login user: the current OS user, since sshd can only run sessions as users that exist. */
  user: string;
  /** `ssh://<user>@127.0.0.1:<port>/<absolute path of the bare repository>` */
  url(repoName: string): string;
  /**
   * `<user>@127.0.0.1:<absolute path>`. scp-style URLs cannot carry a port,
   * so the client must add one: `GIT_SSH_COMMAND="ssh -p <port> ..."`.
   */
  scpUrl(repoName: string): string;
  /** The only key in authorized_keys. */
  clientKey: SshKeyPair;
  /** A known_hosts line for the server: `[127.0.0.1]:<port> ssh-ed25519 AAAA...` */
  knownHosts: string;
  /** What sshd logged so far (-e: to stderr). */
  logs(): string;
  /** Stops sshd and removes its keys and config. */
  close(): Promise<void>;
}

/**
 * A private OpenSSH server on 127.0.0.1 for git over SSH: fresh ed25519 host
 * and client keys, public-key login as the current user only. Running as
 * root works (PermitRootLogin prohibit-password); as another user sshd can
 * only log that user in, which is all git needs.
 */
export async function startSshServer(options: SshServerOptions): Promise<TestSshServer> {
  const sshd = options.sshdPath ?? SSHD;
  if (!existsSync(sshd)) throw new Error(`sshd not found: install openssh-server (apt-get install -y openssh-server)`);
  const root = path.resolve(options.root);
  const user = os.userInfo().username;
  ensurePrivsepDir();

  const dir = await mkdtemp(path.join(os.tmpdir(), 'flotilla-sshd-'));
  try {
    const hostKey = await generateKey(path.join(dir, 'host_ed25519'), 'flotilla-test-host');
    const clientKey = await generateKey(path.join(dir, 'client_ed25519'), 'flotilla-test-client');
    await writeFile(path.join(dir, 'authorized_keys'), `${clientKey.publicKey}\n`, { mode: 0o600 });
    const port = await freePort();
    const config = path.join(dir, 'sshd_config');
    await writeFile(config, sshdConfig({ dir, port, user, version: await sshdVersion(sshd) }));

    const child = track(spawn(sshd, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] }));
    const logs = tail(child.stderr, 64_000);
    await listening(child, port, logs);

    const close = async () => {
      await terminate(child);
      await rm(dir, { recursive: true, force: true });
    };
    const repoPath = (repoName: string) => path.resolve(root, repoName);
    return {
      port,
      user,
      url: (repoName) => `ssh://${user}@127.0.0.1:${port}${repoPath(repoName)}`,
      scpUrl: (repoName) => `${user}@127.0.0.1:${repoPath(repoName)}`,
      clientKey,
      knownHosts: `[127.0.0.1]:${port} ${hostKey.publicKey.split(' ').slice(0, 2).join(' ')}`,
      logs,
      close,
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * sshd running as root insists on its privilege separation directory
 * (/run/sshd, normally made by the service manager, which containers lack)
 * and exits with "Missing privilege separation directory" without it.
 */
function ensurePrivsepDir(): void {
  if (process.getuid?.() !== 0 || existsSync('/run/sshd')) return;
  mkdirSync('/run/sshd', { mode: 0o755, recursive: true });
}

async function generateKey(file: string, comment: string): Promise<SshKeyPair> {
  await execFileText('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
  const [privateKey, publicKey] = await Promise.all([readFile(file, 'utf8'), readFile(`${file}.pub`, 'utf8')]);
  return { privateKey, publicKey: publicKey.trim() };
}

/** [major, minor] of OpenSSH, from `sshd -V` (which prints to stderr and, before 9.8, exits non-zero). */
async function sshdVersion(sshd: string): Promise<[number, number]> {
  const output = await new Promise<string>((resolve) => execFile(sshd, ['-V'], (_error, stdout, stderr) => resolve(`${stdout}${stderr}`)));
  const match = /OpenSSH_(\d+)\.(\d+)/.exec(output);
  return match ? [Number(match[1]), Number(match[2])] : [0, 0];
}

function sshdConfig(o: { dir: string; port: number; user: string; version: [number, number] }): string {
  const [major, minor] = o.version;
  const lines = [
    `ListenAddress 127.0.0.1:${o.port}`,
    `HostKey ${path.join(o.dir, 'host_ed25519')}`,
    `PidFile ${path.join(o.dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${path.join(o.dir, 'authorized_keys')}`,
    `AllowUsers ${o.user}`,
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    // PAM would want /etc/pam.d/sshd and a login session; neither is needed for git.
    'UsePAM no',
    // The temp dir and the user's home need not pass sshd's ownership checks.
    'StrictModes no',
    // git asks for protocol v2 through this variable; refused, it falls back to v0.
    'AcceptEnv GIT_PROTOCOL',
    'PermitUserRC no',
    'PrintMotd no',
    'PermitTTY no',
    'X11Forwarding no',
    'AllowTcpForwarding no',
    'AllowAgentForwarding no',
  ];
  // OpenSSH 9.8+ would otherwise slow down 127.0.0.1 after the failures tests provoke on purpose.
  if (major > 9 || (major === 9 && minor >= 8)) lines.push('PerSourcePenalties no');
  return `${lines.join('\n')}\n`;
}

/** Resolves once sshd accepts connections; rejects with its log if it exits first or never listens. */
async function listening(child: ChildProcess, port: number, logs: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  // sshd's own "Server listening" line as well as a connect: the port was
  // only free a moment ago, and someone else's listener would accept too.
  const ready = async () => logs().includes(`Server listening on 127.0.0.1 port ${port}.`) && (await accepts(port));
  while (!hasExited(child) && !(await ready())) {
    if (Date.now() > deadline) {
      await terminate(child);
      throw new Error(`sshd did not listen on 127.0.0.1:${port} within 15 s:\n${logs()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (hasExited(child)) throw new Error(`sshd exited (${child.exitCode ?? child.signalCode}) before listening on 127.0.0.1:${port}:\n${logs()}`);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

function execFileText(file: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, [...args], (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(' ')} failed: ${stderr.trim() || error.message}`, { cause: error }));
      else resolve(stdout);
    });
  });
}
