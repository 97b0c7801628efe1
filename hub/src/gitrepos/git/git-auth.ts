import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Credentials of a GitRepo, as opened from their sealed column. */
export interface GitCredentials {
  /** HTTPS basic auth (a token goes in `password`, with any user name, as GitHub and GitLab take it). */
  username?: string;
  password?: string;
  /** SSH private key (PEM / OpenSSH format). */
  sshPrivateKey?: string;
  /** known_hosts lines for the SSH host; without them SSH is refused (no trust on first use). */
  knownHosts?: string;
}

export interface GitTls {
  caBundle?: string;
  insecureSkipTlsVerify?: boolean;
}

/** What one git run needs to authenticate: environment variables, and files to delete afterwards. */
export interface GitAuthEnv {
  env: Record<string, string>;
  /** Environment keys simple-git must be told are intended (it strips or refuses git-affecting ones otherwise). */
  allowEnvironment: string[];
  /** Config keys set through GIT_CONFIG_KEY_n. */
  allowConfig: string[];
  dispose(): Promise<void>;
}

/**
 * Builds a git run's environment: nothing inherited but PATH, a HOME of its
 * own, no system or global config, no prompts. Secrets go where neither the
 * process list nor git's messages show them: the HTTP Authorization header as
 * GIT_CONFIG_* environment (readable only by this user), the SSH key and
 * known_hosts as 0600 files in a private temp directory removed afterwards.
 */
export async function gitAuthEnv(tmpRoot: string, credentials: GitCredentials | undefined, tls: GitTls): Promise<GitAuthEnv> {
  const dir = await mkdtemp(join(tmpRoot, 'git-auth-'));
  const config: [string, string][] = [];
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_ASKPASS: '/bin/false',
    SSH_ASKPASS: '/bin/false',
    LC_ALL: 'C',
  };
  if (credentials?.password !== undefined || credentials?.username !== undefined) {
    const basic = Buffer.from(`${credentials.username ?? 'x-access-token'}:${credentials.password ?? ''}`).toString('base64');
    config.push(['http.extraHeader', `Authorization: Basic ${basic}`]);
  }
  if (tls.caBundle) {
    const ca = join(dir, 'ca.pem');
    await writeFile(ca, tls.caBundle, { mode: 0o600 });
    config.push(['http.sslCAInfo', ca]);
  }
  if (tls.insecureSkipTlsVerify) config.push(['http.sslVerify', 'false']);
  const knownHosts = join(dir, 'known_hosts');
  await writeFile(knownHosts, credentials?.knownHosts ?? '', { mode: 0o600 });
  const ssh = ['ssh', '-F', '/dev/null', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${shellQuote(knownHosts)}`, '-o', 'ConnectTimeout=15'];
  if (credentials?.sshPrivateKey) {
    const key = join(dir, 'id');
    // ssh refuses keys without a final newline ("invalid format").
    await writeFile(key, credentials.sshPrivateKey.endsWith('\n') ? credentials.sshPrivateKey : `${credentials.sshPrivateKey}\n`, { mode: 0o600 });
    ssh.push('-o', 'IdentitiesOnly=yes', '-i', shellQuote(key));
  }
  env.GIT_SSH_COMMAND = ssh.join(' ');
  env.GIT_CONFIG_COUNT = String(config.length);
  config.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return {
    env,
    allowEnvironment: Object.keys(env),
    allowConfig: config.map(([key]) => key),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

/** GIT_SSH_COMMAND is run by a shell: paths are single-quoted. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
