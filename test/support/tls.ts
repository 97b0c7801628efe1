import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestTls {
  dir: string;
  caPem: string;
  certFile: string;
  keyFile: string;
  caFile: string;
}

/** A throwaway CA and a server certificate for localhost/127.0.0.1, made with openssl. */
export function makeServerTls(): TestTls {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-tls-'));
  const p = (f: string) => join(dir, f);
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', '/CN=flotilla-test-ca', '-keyout', p('ca.key'), '-out', p('ca.crt'));
  run('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=localhost', '-keyout', p('server.key'), '-out', p('server.csr'));
  writeFileSync(p('ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  run('x509', '-req', '-in', p('server.csr'), '-CA', p('ca.crt'), '-CAkey', p('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', p('ext.cnf'), '-out', p('server.crt'));
  return { dir, caPem: readFileSync(p('ca.crt'), 'utf8'), certFile: p('server.crt'), keyFile: p('server.key'), caFile: p('ca.crt') };
}
