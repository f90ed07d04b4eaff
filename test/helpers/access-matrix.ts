import type { ServerOptions } from 'node:https';
import type { Config } from '../../src/config';
import { createLogger } from '../../src/logger';
import { tlsServerOptions } from '../../src/http/tls-options';
import { assertMatchesContract } from './contract-client';
import { httpCall, type ClientTls, type HttpAnswer } from './http-call';
import { listenOnLoopback, type Listening } from './listen';
import { pollUntil } from './poll';
import { openSse } from './sse-client';
import { API, buildTestApp, type TestApp } from './test-app';
import { STORE_KIND } from './test-stores';
import { openWs, refusedUpgrade } from './ws-client';

/** The four clients of the matrix, whatever credential they present. */
export type MatrixRole = 'publisher' | 'subscriberA' | 'subscriberB' | 'admin';

/** How a client proves who it is: a bearer (key or token), a client certificate, or both ways for the WebSocket. */
export interface MatrixCredential {
  /** The principal's name the hub should see: a hub's owner. */
  name: string;
  headers?: Record<string, string>;
  tls?: ClientTls;
  /** The bearer offered as a WebSocket subprotocol (browsers), instead of the header. */
  wsProtocols?: string[];
}

export interface MatrixSetup {
  /** What the hub is given besides the defaults: the clients file, the issuer. */
  config: Partial<Config>;
  /** HTTPS (and client certificates) as main makes them from the config's HUB_TLS_*; plain HTTP without. */
  tls?: boolean;
  /** The CA a client trusts, for an https hub. */
  ca?: string;
  credentials(): Promise<Record<MatrixRole, MatrixCredential>>;
  /** Every key, token and secret the suite uses: none may show in an answer or a log line. */
  secrets(): string[];
}

/**
 * The access matrix of issue 24's "Done when", for one kind of credential, on the store of this
 * jest run (both runs of .ci/run): a scoped publisher publishes in scope (201) and is refused out of
 * it and on topic creation (403); a subscriber's hub (and POST /hub registration) does not exist
 * for another subscriber (404 on every path under it, absent from lists) while an admin sees all;
 * over REST, SSE and WebSocket. Every answer is held to the contract, and every answer and log line
 * is searched for the suite's keys, tokens and secrets.
 */
export function describeAccessMatrix(kind: string, setup: () => MatrixSetup): void {
  describe(`the access matrix with ${kind} (${STORE_KIND} store)`, () => {
    const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    let given: MatrixSetup;
    let hub: TestApp;
    let listening: Listening;
    let who: Record<MatrixRole, MatrixCredential>;
    const lines: string[] = [];
    const answers: string[] = [];
    let orders: string;
    let billing: string;
    let hubA: string;
    let registrationA: string;

    const tlsOf = (credential?: MatrixCredential): ClientTls | undefined =>
      given.tls ? { ca: given.ca, ...credential?.tls } : undefined;

    /** One call as `role` (or as nobody), held to the contract and kept for the secrets search. */
    async function call(role: MatrixRole | undefined, method: string, path: string, body?: unknown): Promise<HttpAnswer> {
      const credential = role && who[role];
      const answer = await httpCall(`${listening.origin}${API}${path}`, { method, body, headers: credential?.headers, tls: tlsOf(credential) });
      answers.push(`${answer.status} ${JSON.stringify(answer.headers)} ${answer.text}`);
      assertMatchesContract(hub, method.toLowerCase() as 'get', `${API}${path}`, answer as never);
      return answer;
    }

    beforeAll(async () => {
      given = setup();
      who = await given.credentials();
      hub = await buildTestApp({ config: given.config, logger: createLogger('debug', (line) => lines.push(line)) });
      const tls: ServerOptions | undefined = given.tls ? tlsServerOptions(hub.config) : undefined;
      listening = await listenOnLoopback(hub.app, hub, '127.0.0.1', tls);
      orders = (await call('admin', 'POST', '/topic', { name: 'orders' })).body.id;
      billing = (await call('admin', 'POST', '/topic', { name: 'billing' })).body.id;
    });

    afterAll(async () => {
      await listening?.close();
      await hub?.stop();
    });

    describe('a publisher scoped to orders', () => {
      it('should publish in scope (201) and be refused out of scope and on topic creation (403)', async () => {
        expect((await call('publisher', 'POST', `/topic/${orders}/event`, { eventType: 'OrderCreateEvent' })).status).toBe(201);
        const outside = await call('publisher', 'POST', `/topic/${billing}/event`, { eventType: 'BillCreateEvent' });
        expect({ status: outside.status, message: outside.body.message }).toEqual({
          status: 403,
          message: `The client ${who.publisher.name} lacks the permission event:publish on topic "billing": it is not in the client's topic scopes`,
        });
        const topic = await call('publisher', 'POST', '/topic', { name: 'mine' });
        expect({ status: topic.status, message: topic.body.message }).toEqual({ status: 403, message: `The client ${who.publisher.name} lacks the permission admin` });
        // Nothing was stored by the refusals.
        expect((await call('admin', 'GET', `/topic/${billing}/event`)).body).toEqual([]);
        expect((await call('admin', 'GET', '/topic?name=mine')).body).toEqual([]);
      });

      it('should list only the topics in scope, the total counted in the store', async () => {
        const mine = await call('publisher', 'GET', '/topic');
        expect({ names: mine.body.map((t: { name: string }) => t.name), total: mine.headers['x-total-count'] }).toEqual({ names: ['orders'], total: '1' });
        expect((await call('admin', 'GET', '/topic')).headers['x-total-count']).toBe('2');
        expect((await call('publisher', 'GET', `/topic/${billing}`)).status).toBe(403);
      });

      it('should not manage hubs (403 naming hub:manage)', async () => {
        const hubTry = await call('publisher', 'POST', `/topic/${orders}/hub`, { callback: 'http://127.0.0.1:9/p' });
        expect({ status: hubTry.status, message: hubTry.body.message }).toEqual({ status: 403, message: `The client ${who.publisher.name} lacks the permission hub:manage` });
      });
    });

    describe('subscribers', () => {
      beforeAll(async () => {
        const created = await call('subscriberA', 'POST', `/topic/${orders}/hub`, { callback: 'http://127.0.0.1:9/a', secret: SECRET, owner: 'someone-else' });
        expect({ status: created.status, owner: created.body.owner }).toEqual({ status: 201, owner: who.subscriberA.name });
        hubA = created.body.id;
        const registered = await call('subscriberA', 'POST', '/hub', { callback: 'http://127.0.0.1:9/ra' });
        expect({ status: registered.status, owner: registered.body.owner }).toEqual({ status: 201, owner: who.subscriberA.name });
        registrationA = registered.body.id;
        // An event for the hub, so that it has a delivery.
        await call('admin', 'POST', `/topic/${orders}/event`, { eventType: 'OrderCreateEvent' });
      });

      it("should see their own hub, its deliveries and stats", async () => {
        expect((await call('subscriberA', 'GET', `/topic/${orders}/hub/${hubA}`)).body.owner).toBe(who.subscriberA.name);
        expect((await call('subscriberA', 'GET', `/topic/${orders}/hub`)).body.map((h: { id: string }) => h.id)).toEqual([hubA]);
        const deliveries = await call('subscriberA', 'GET', `/topic/${orders}/hub/${hubA}/delivery`);
        expect({ status: deliveries.status, total: deliveries.headers['x-total-count'] }).toEqual({ status: 200, total: '1' });
        expect((await call('subscriberA', 'GET', `/topic/${orders}/hub/${hubA}/stats`)).status).toBe(200);
        expect((await call('subscriberA', 'GET', `/hub/${registrationA}`)).status).toBe(200);
      });

      it("should not see another subscriber's hub: absent from the list, 404 on every path under it", async () => {
        const list = await call('subscriberB', 'GET', `/topic/${orders}/hub`);
        expect({ status: list.status, ids: list.body, total: list.headers['x-total-count'] }).toEqual({ status: 200, ids: [], total: '0' });
        const deliveryId = (await call('subscriberA', 'GET', `/topic/${orders}/hub/${hubA}/delivery`)).body[0].id;
        const under = `/topic/${orders}/hub/${hubA}`;
        const paths: Array<[string, string, unknown?]> = [
          ['GET', under],
          ['GET', `${under}/delivery`],
          ['GET', `${under}/delivery/${deliveryId}`],
          ['POST', `${under}/delivery/${deliveryId}/redeliver`],
          ['GET', `${under}/stats`],
          ['POST', `${under}/replay`, { from: '2020-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' }],
          ['POST', `${under}/secret`, { secret: 'whsec_bm90LXRoZS1zZWNyZXQtb2YtYW55b25lMTIz' }],
          ['DELETE', under],
          ['GET', `/hub/${registrationA}`],
          ['GET', `/hub/${registrationA}/delivery`],
          ['GET', `/hub/${registrationA}/stats`],
          ['POST', `/hub/${registrationA}/secret`, { secret: 'whsec_bm90LXRoZS1zZWNyZXQtb2YtYW55b25lMTIz' }],
          ['DELETE', `/hub/${registrationA}`],
        ];
        for (const [method, path, body] of paths) {
          const answer = await call('subscriberB', method, path, body);
          expect({ call: `${method} ${path}`, status: answer.status }).toEqual({ call: `${method} ${path}`, status: 404 });
          // The same answer as for a hub that does not exist: nothing says it is someone's.
          expect(answer.text).not.toContain(who.subscriberA.name);
        }
        // Still there, untouched.
        expect((await call('subscriberA', 'GET', `${under}`)).status).toBe(200);
        expect((await call('subscriberA', 'GET', `/hub/${registrationA}`)).status).toBe(200);
      });

      it('should let an admin see every hub, and filter them by owner', async () => {
        const bHub = (await call('subscriberB', 'POST', `/topic/${orders}/hub`, { callback: 'http://127.0.0.1:9/b' })).body.id;
        const all = await call('admin', 'GET', `/topic/${orders}/hub`);
        expect(all.body.map((h: { id: string }) => h.id)).toEqual([hubA, bHub]);
        const ofA = await call('admin', 'GET', `/topic/${orders}/hub?owner=${encodeURIComponent(who.subscriberA.name)}`);
        expect(ofA.body.map((h: { id: string }) => h.id)).toEqual([hubA]);
        expect((await call('admin', 'GET', `/topic/${orders}/hub/${hubA}/delivery`)).status).toBe(200);
        expect((await call('admin', 'GET', `/hub/${registrationA}`)).body.owner).toBe(who.subscriberA.name);
      });
    });

    describe('the live streams', () => {
      const url = (topicId: string) => `${listening.origin}${API}/topic/${topicId}/event/stream`;

      it('should stream a topic in scope over SSE, and refuse one out of scope (403) or a stranger (401)', async () => {
        const sse = await openSse(url(orders), who.publisher.headers, tlsOf(who.publisher));
        try {
          expect(sse.status).toBe(200);
          await call('admin', 'POST', `/topic/${orders}/event`, { eventType: 'OrderStateChangeEvent' });
          expect((await sse.waitForMessages(1))[0].json.eventType).toBe('OrderStateChangeEvent');
        } finally {
          sse.close();
        }
        const outside = await openSse(url(billing), who.publisher.headers, tlsOf(who.publisher));
        outside.close();
        expect({ status: outside.status, message: JSON.parse(outside.body).message }).toEqual({ status: 403, message: expect.stringContaining('lacks the permission topic:read on topic "billing"') });
        const stranger = await openSse(url(orders), {}, tlsOf());
        stranger.close();
        expect(stranger.status).toBe(401);
      });

      it('should stream a topic in scope over WebSocket, and refuse one out of scope (403) or a stranger (401) before the upgrade', async () => {
        // A credential offered as a subprotocol goes without the header, as a browser sends it.
        const options = { headers: who.publisher.wsProtocols ? undefined : who.publisher.headers, protocols: who.publisher.wsProtocols, tls: tlsOf(who.publisher) };
        const ws = await openWs(url(orders), options);
        try {
          await call('admin', 'POST', `/topic/${orders}/event`, { eventType: 'OrderDeleteEvent' });
          const [frame] = await pollUntil(async () => (ws.json.some((e) => e.eventType === 'OrderDeleteEvent') ? ws.json.filter((e) => e.eventType === 'OrderDeleteEvent') : undefined), 5000, 'the frame');
          expect(frame.eventType).toBe('OrderDeleteEvent');
        } finally {
          ws.close();
          await ws.closed;
        }
        const outside = await refusedUpgrade(url(billing), options);
        expect({ status: outside.status, code: outside.body.code }).toEqual({ status: 403, code: 'Forbidden' });
        const stranger = await refusedUpgrade(url(orders), { tls: tlsOf() });
        expect({ status: stranger.status, challenge: stranger.headers['www-authenticate'] }).toEqual({ status: 401, challenge: 'Bearer realm="tmf688-hub"' });
      });
    });

    it('should answer a stranger 401 with the Bearer challenge', async () => {
      const none = await call(undefined, 'GET', '/topic');
      expect({ status: none.status, challenge: none.headers['www-authenticate'] }).toEqual({ status: 401, challenge: 'Bearer realm="tmf688-hub"' });
    });

    it('should have recorded the creations and the refusals in the audit trail, with the right principal', async () => {
      type Row = { principal: string; operation: string; status: number };
      const read = async (): Promise<Row[]> => (await call('admin', 'GET', '/auditRecord?limit=1000')).body;
      // A refusal is recorded without holding up its answer: the stranger's 401 just above may still be on its way to the store.
      const stranger = (rows: Row[]) => rows.some((r) => r.principal === 'unauthenticated' && r.operation === 'listTopic' && r.status === 401);
      const records = await pollUntil(async () => {
        const rows = await read();
        return stranger(rows) ? rows : undefined;
      }, 5000, "the stranger's refusal in the audit trail").catch(read);
      const has = (principal: string, operation: string, status: number) => records.some((r) => r.principal === principal && r.operation === operation && r.status === status);
      expect({
        topicCreated: has(who.admin.name, 'createTopic', 201),
        hubCreated: has(who.subscriberA.name, 'createHub', 201),
        publishOutOfScope: has(who.publisher.name, 'createEvent', 403),
        topicByPublisher: has(who.publisher.name, 'createTopic', 403),
        stranger: has('unauthenticated', 'listTopic', 401),
        streamOutOfScope: has(who.publisher.name, 'streamEvent', 403),
      }).toEqual({ topicCreated: true, hubCreated: true, publishOutOfScope: true, topicByPublisher: true, stranger: true, streamOutOfScope: true });
      // Another subscriber's 404s are no refusals: nothing says the hub is someone's.
      expect(records.filter((r) => r.principal === who.subscriberB.name && r.status === 404)).toEqual([]);
      answers.push(JSON.stringify(records));
      expect((await call('subscriberA', 'GET', '/auditRecord')).status).toBe(403);
    });

    // Last: every answer (the audit trail's included) and log line the suite made so far.
    it('should never show a key, token or secret in an answer, an audit record or a log line', () => {
      const secrets = [...given.secrets(), SECRET];
      expect(answers.length).toBeGreaterThan(30);
      expect(lines.length).toBeGreaterThan(30);
      for (const text of [...answers, ...lines]) for (const secret of secrets) expect(text.includes(secret) ? `${secret.slice(0, 8)}... in ${text.slice(0, 200)}` : undefined).toBeUndefined();
    });
  });
}
