import { readFileSync } from 'node:fs';

/**
 * Version the agent reports to the hub (registration, Watch, Heartbeat),
 * read from agent/package.json so that a release bumps one place. The file
 * is one directory up both from src/ (tests) and from dist/ (the image
 * copies agent/package.json next to agent/dist, see agent/Dockerfile).
 */
export const AGENT_VERSION: string = readAgentVersion(new URL('../package.json', import.meta.url));

function readAgentVersion(file: URL): string {
  const { name, version } = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
  // Guards against picking up some other package.json if the layout ever changes.
  if (name !== '@flotilla/agent' || typeof version !== 'string') throw new Error(`${file.pathname} is not the agent's package.json`);
  return version;
}
