import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { register, secretOf } from '../support/agent-client.ts';
import { query } from '../support/database.ts';
import { startHub, type TestHub } from '../support/hub.ts';

let hub: TestHub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub?.dispose();
});

describe('secrets at rest', () => {
  it('stores no token or credential secret in clear anywhere in the database, nor in the logs', async () => {
    const regToken = (await hub.api('POST', '/api/v1/registration-tokens', {})).body.token as string;
    const apiToken = (await hub.api('POST', '/api/v1/api-tokens', { name: 'ci', role: 'readonly' })).body.token as string;
    const { credential } = await register(hub, { token: regToken, identity: `secret-${Math.random()}` });
    const secrets = [regToken, apiToken, credential, hub.adminToken].map(secretOf);
    for (const secret of secrets) expect(secret.length).toBeGreaterThanOrEqual(43);

    // Every text-like column of every table, not just the ones we think hold secrets.
    const columns = await query<{ table_name: string; column_name: string }>(
      hub.database.url,
      `SELECT table_name, column_name FROM information_schema.columns
       WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb', 'json')`,
    );
    expect(columns.length).toBeGreaterThan(5);
    for (const { table_name, column_name } of columns) {
      const rows = await query<{ v: string | null }>(hub.database.url, `SELECT "${column_name}"::text AS v FROM "${table_name}"`);
      for (const row of rows) for (const secret of secrets) expect(row.v ?? '', `${table_name}.${column_name}`).not.toContain(secret);
    }
    const hashes = await query<{ secret_hash: string }>(hub.database.url, 'SELECT secret_hash FROM registration_tokens UNION ALL SELECT credential_hash FROM clusters');
    for (const h of hashes) expect(h.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    for (const secret of secrets) expect(hub.logs()).not.toContain(secret);
  });
});
