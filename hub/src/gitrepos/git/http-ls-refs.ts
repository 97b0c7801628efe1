import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { createHash } from 'node:crypto';
import { GitError } from './git.error.js';
import type { GitCredentials, GitTls } from './git-auth.js';
import { DELIM, FLUSH, pkt, readPackets } from './pkt-line.js';

/** The server does not speak protocol v2 over smart HTTP (the caller falls back to `git ls-remote`). */
export class ProtocolUnsupported extends Error {}

const MAX_RESPONSE = 4 * 1024 * 1024;
const agents = new Map<string, HttpAgent>();

/**
 * `git ls-remote` for http(s) remotes without starting git: one protocol-v2
 * `ls-refs` request (gitprotocol-v2) on a kept-alive connection, asking only
 * for the refs wanted. Polling hundreds of GitRepos every 15 s costs the hub a
 * request each, not two processes and a TLS handshake each.
 * Returns ref name → commit (annotated tags peeled to their commit).
 */
export async function httpLsRefs(url: string, refs: string[], credentials: GitCredentials | undefined, tls: GitTls, timeoutMs: number): Promise<Map<string, string>> {
  const target = new URL(`${url.replace(/\/+$/, '')}/git-upload-pack`);
  const body = pkt('command=ls-refs\n') + pkt('agent=flotilla\n') + DELIM + pkt('peel\n') + refs.map((r) => pkt(`ref-prefix ${r}\n`)).join('') + FLUSH;
  const headers: Record<string, string> = {
    'content-type': 'application/x-git-upload-pack-request',
    accept: 'application/x-git-upload-pack-result',
    'git-protocol': 'version=2',
    'user-agent': 'git/flotilla',
  };
  if (credentials?.username !== undefined || credentials?.password !== undefined) {
    headers.authorization = `Basic ${Buffer.from(`${credentials.username ?? 'x-access-token'}:${credentials.password ?? ''}`).toString('base64')}`;
  }
  const response = await post(target, headers, body, tls, timeoutMs);
  if (response.status === 401 || response.status === 403) throw new GitError('AuthFailed', `${url}: the server answered ${response.status} (check the credentials)`);
  if (response.status === 404) throw new GitError('FetchFailed', `${url}: repository not found (404)`);
  if (response.status !== 200 || !response.type.startsWith('application/x-git-upload-pack-result')) {
    throw new ProtocolUnsupported(`${url}: ls-refs answered ${response.status} ${response.type}`);
  }
  let lines: string[];
  try {
    lines = readPackets(response.body);
  } catch (error) {
    throw new ProtocolUnsupported(`${url}: ${(error as Error).message}`);
  }
  const out = new Map<string, string>();
  for (const line of lines) {
    const [oid, name, ...attributes] = line.trimEnd().split(' ');
    if (!oid || !name || !/^[0-9a-f]{40,64}$/.test(oid)) throw new ProtocolUnsupported(`${url}: unexpected ls-refs line`);
    const peeled = attributes.find((a) => a.startsWith('peeled:'))?.slice('peeled:'.length);
    out.set(name, peeled ?? oid);
  }
  return out;
}

interface Response {
  status: number;
  type: string;
  body: Buffer;
}

function post(target: URL, headers: Record<string, string>, body: string, tls: GitTls, timeoutMs: number): Promise<Response> {
  const https = target.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const req = (https ? httpsRequest : httpRequest)(target, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent: agentFor(https, tls), timeout: timeoutMs }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE) req.destroy(new ProtocolUnsupported(`${target.host}: ls-refs answer over ${MAX_RESPONSE} bytes`));
        else chunks.push(chunk);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new GitError('FetchFailed', `${target.origin}: no answer within ${timeoutMs / 1000} s`)));
    req.on('error', (error) => reject(error instanceof GitError || error instanceof ProtocolUnsupported ? error : new GitError('FetchFailed', `unable to access ${target.origin}: ${(error as Error).message}`)));
    req.end(body);
  });
}

/** One kept-alive agent per TLS setting (a CA bundle, or none), so polls reuse connections. */
function agentFor(https: boolean, tls: GitTls): HttpAgent {
  const key = `${https}:${tls.insecureSkipTlsVerify ? 1 : 0}:${tls.caBundle ? createHash('sha256').update(tls.caBundle).digest('hex') : ''}`;
  let agent = agents.get(key);
  if (!agent) {
    agent = https
      ? new HttpsAgent({ keepAlive: true, maxSockets: 8, maxFreeSockets: 64, ...(tls.caBundle ? { ca: tls.caBundle } : {}), rejectUnauthorized: !tls.insecureSkipTlsVerify })
      : new HttpAgent({ keepAlive: true, maxSockets: 8, maxFreeSockets: 64 });
    agents.set(key, agent);
  }
  return agent;
}
