import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toolPath } from '../clusters/index.ts';
import { startChartRepo, type ChartRepo } from '../support/chart-repo.ts';
import { eventually } from '../support/eventually.ts';
import { createRepo, type TestRepo } from '../support/git-server.ts';
import { startHub, type TestHub } from '../support/hub.ts';

/**
 * A GitRepo's helmCredentials reach the chart repository its bundles name
 * (Fleet's helmSecretName), only for URLs matching helmRepoUrlRegex when set;
 * without them the render fails with the repository's answer.
 */
const AUTH = { username: 'charts', password: 'chart-pass-5e1d' };
let hub: TestHub;
let charts: ChartRepo;
let repo: TestRepo;

beforeAll(async () => {
  const helm = await toolPath('helm');
  charts = await startChartRepo(helm, [{ name: 'web', version: '1.2.0' }], AUTH);
  repo = await createRepo();
  await repo.writeFiles({ 'fleet.yaml': `helm:\n  repo: ${charts.url}\n  chart: web\n  version: "^1"\n` });
  await repo.commit('chart from a private repository');
  hub = await startHub({ env: { FLOTILLA_HELM: helm, FLOTILLA_KUSTOMIZE: await toolPath('kustomize') } });
  // A cluster to render for: renders happen per targeted customisation.
  const token = (await hub.api('POST', '/api/v1/registration-tokens', {})).body.token;
  const { register } = await import('../support/agent-client.ts');
  await register(hub, { token, identity: 'helm-auth', labels: { env: 'x' } });
}, 600_000);
afterAll(async () => {
  await hub?.dispose();
  await charts?.stop();
  await repo?.dispose();
});

const put = (name: string, extra: Record<string, unknown>) =>
  hub.api('PUT', `/api/v1/gitrepos/${name}`, { repo: repo.fileUrl, branch: 'main', targets: [{ clusterSelector: { matchLabels: { env: 'x' } } }], ...extra });
const render = async (bundle: string) => (await hub.api('GET', `/api/v1/bundles/${bundle}`)).body.render;

describe('GitRepo helm credentials', () => {
  it('renders a chart from a repository that needs basic auth', async () => {
    expect((await put('charts-ok', { helmCredentials: AUTH })).status).toBe(201);
    await eventually(async () => expect(await render('charts-ok')).toMatchObject({ state: 'Rendered', reason: '' }), { timeoutMs: 60_000 });
    expect((await hub.api('GET', '/api/v1/gitrepos/charts-ok')).body).toMatchObject({ hasHelmCredentials: true, status: { reason: 'Ready' } });
  });

  it('fails the render without them, or when helmRepoUrlRegex does not match the chart URL', async () => {
    await put('charts-none', {});
    await put('charts-elsewhere', { helmCredentials: AUTH, helmRepoUrlRegex: '^https://charts\\.example\\.com/' });
    for (const name of ['charts-none', 'charts-elsewhere']) {
      await eventually(async () => expect(await render(name)).toMatchObject({ state: 'Failed', reason: 'ChartFetchFailed', message: expect.stringMatching(/401/) }), { timeoutMs: 60_000 });
      expect((await hub.api('GET', `/api/v1/gitrepos/${name}`)).body.status).toMatchObject({ ready: false, reason: 'RenderFailed' });
    }
    expect(hub.logs()).not.toContain(AUTH.password);
  });
});
