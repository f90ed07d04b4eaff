import Koa from 'koa';
import type { HubApp } from '../../src/http/create-app';
import { contractClient } from '../helpers/contract-client';
import { API, buildTestApp } from '../helpers/test-app';

/** The contract check must be able to fail: serve wrong answers and expect it to reject them. */
describe('contract client', () => {
  async function fakeHub(respond: (ctx: Koa.Context) => void): Promise<HubApp> {
    const real = await buildTestApp();
    const app = new Koa();
    app.use(async (ctx) => respond(ctx));
    return { app, api: real.api };
  }

  it.each([
    ['a body that breaks the schema', (ctx: Koa.Context) => { ctx.status = 200; ctx.body = { id: 1 }; }, `${API}/topic/x`, /does not match the schema/],
    ['a status the operation does not declare', (ctx: Koa.Context) => { ctx.status = 202; ctx.body = {}; }, `${API}/topic/x`, /not declared/],
    ['an error body that is not a TMF Error', (ctx: Koa.Context) => { ctx.status = 404; ctx.body = { error: 'x' }; }, `${API}/topic/x`, /not a TMF Error/],
    ['a list without count headers', (ctx: Koa.Context) => { ctx.status = 200; ctx.body = []; }, `${API}/topic`, /X-Total-Count/],
    ['a relative href', (ctx: Koa.Context) => { ctx.status = 200; ctx.body = { id: 'x', href: '/topic/x' }; }, `${API}/topic/x`, /absolute/],
  ])('should reject %s', async (_case, respond, path, problem) => {
    const client = contractClient(await fakeHub(respond));
    await expect(client.get(path)).rejects.toThrow(problem);
  });

  it('should reject a 201 without Location', async () => {
    const created = contractClient(await fakeHub((ctx) => { ctx.status = 201; ctx.body = { id: 'x', '@type': 'Topic' }; }));
    await expect(created.post(`${API}/topic`, { name: 'x' })).rejects.toThrow(/Location/);
  });
});
