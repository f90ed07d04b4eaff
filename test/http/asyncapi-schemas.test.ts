import { Parser } from '@asyncapi/parser';
import supertest from 'supertest';
import { API } from '../helpers/test-app';
import { notificationNames, readSpec, useSpecSizedHub } from '../helpers/tmf-specs';

const ALARM_SPEC = 'TMF642-Alarm-v4.0.0.swagger.json';

describe('/asyncapi.json with registered schemas', () => {
  const app = useSpecSizedHub();

  const asyncApi = async () => (await supertest(app().app.callback()).get('/asyncapi.json').expect(200)).body;

  it('should describe no event schema when none is registered', async () => {
    const doc = await asyncApi();
    expect(Object.keys(doc.components.messages).filter((k) => k.startsWith('EventSchema.'))).toEqual([]);
  });

  it('should add the latest schema of every registered type as a message payload, and still parse without errors', async () => {
    await app().client.post(`${API}/schema/import`, readSpec(ALARM_SPEC), { 'Content-Type': 'application/json' });
    const v2 = await app().client.post(`${API}/schema/AlarmCreateEvent?compatibility=none`, { type: 'object', required: ['event'], properties: { event: { type: 'object' } } });
    expect(v2.body.version).toBe(2);
    const doc = await asyncApi();
    const names = notificationNames(ALARM_SPEC);
    const messages = Object.keys(doc.components.messages).filter((k) => k.startsWith('EventSchema.'));
    expect(messages.sort()).toEqual(names.map((n) => `EventSchema.${n}`).sort());
    expect(doc.components.messages['EventSchema.AlarmCreateEvent']).toMatchObject({ name: 'AlarmCreateEvent', title: expect.stringContaining('version 2') });
    expect(doc.components.schemas['EventSchema.AlarmCreateEvent']).toEqual({ type: 'object', required: ['event'], properties: { event: { type: 'object' } } });
    expect(doc.channels.topicHubCallback.messages['EventSchema.AlarmStateChangeEvent']).toEqual({ $ref: '#/components/messages/EventSchema.AlarmStateChangeEvent' });
    expect(doc.operations.sendEventNotification.messages).toContainEqual({ $ref: '#/channels/topicHubCallback/messages/EventSchema.AlarmStateChangeEvent' });
    // Every reference of an imported schema resolves inside the document.
    expect(JSON.stringify(doc.components.schemas['EventSchema.AlarmStateChangeEvent'])).toContain('"$ref":"#/components/schemas/EventSchema.AlarmStateChangeEvent/$defs/');

    const { document, diagnostics } = await new Parser().parse(JSON.stringify(doc));
    expect(diagnostics.filter((d) => d.severity === 0).map((d) => `${d.path.join('/')}: ${d.message}`)).toEqual([]);
    const payload = document!.components().messages().get('EventSchema.AlarmStateChangeEvent')!.payload()!;
    expect(payload.properties()?.event).toBeDefined();
  });
});
