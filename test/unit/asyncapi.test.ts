import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Parser } from '@asyncapi/parser';
import type { AsyncAPIDocumentInterface } from '@asyncapi/parser';
import { signWebhook } from '../../src/delivery/sign-webhook';
import { PROJECT_ROOT } from '../../src/paths';
import { messageSchemas } from '../helpers/asyncapi-schemas';

const DOCUMENT_FILE = join(PROJECT_ROOT, 'asyncapi', 'tmf688-hub.asyncapi.json');
const GENERATOR = join(PROJECT_ROOT, 'asyncapi', 'build-asyncapi.mjs');
/** The secret the generator signs its examples with (named in each example's summary). */
const EXAMPLE_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ERROR = 0;
const WARNING = 1;
const WEBHOOK_HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-attempt', 'webhook-signature'];

type Json = Record<string, any>;

const text = readFileSync(DOCUMENT_FILE, 'utf8');
const raw: Json = JSON.parse(text);

async function diagnose(doc: Json) {
  const { document, diagnostics } = await new Parser().parse(JSON.stringify(doc));
  const summary = diagnostics.map((d) => `${d.severity} ${d.code} ${d.path.join('/')}: ${d.message}`);
  return { document, summary, errors: summary.filter((s) => s.startsWith(`${ERROR} `)) };
}

describe('AsyncAPI document (asyncapi/tmf688-hub.asyncapi.json)', () => {
  let document: AsyncAPIDocumentInterface;
  let summary: string[];

  beforeAll(async () => {
    const parsed = await diagnose(raw);
    summary = parsed.summary;
    document = parsed.document!;
  });

  it('should parse with no error and no warning diagnostics', () => {
    expect(summary.filter((s) => s.startsWith(`${ERROR} `) || s.startsWith(`${WARNING} `))).toEqual([]);
    expect(document).toBeDefined();
  });

  it('should fail to parse a deliberately broken copy (the check can fail)', async () => {
    const badAction = structuredClone(raw);
    badAction.operations.sendEventNotification.action = 'publish';
    const first = await diagnose(badAction);
    expect(first.document).toBeUndefined();
    expect(first.errors.join('\n')).toContain('operations/sendEventNotification/action');

    const danglingRef = structuredClone(raw);
    danglingRef.components.messages.TopicCreateEvent.payload = { $ref: '#/components/schemas/NoSuchSchema' };
    expect((await diagnose(danglingRef)).errors.join('\n')).toContain('NoSuchSchema');
  });

  it('should be exactly what asyncapi/build-asyncapi.mjs generates (no hand edits, no drift from the OpenAPI schemas)', () => {
    const generated = execFileSync(process.execPath, [GENERATOR, '--stdout'], { encoding: 'utf8' });
    expect(text).toBe(generated);
  });

  it('should describe AsyncAPI 3.0.0, the package version and the hub/listener pattern', () => {
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8'));
    expect(document.version()).toBe('3.0.0');
    expect(document.info().version()).toBe(pkg.version);
    expect(document.info().title()).toContain('tmf688-hub');
    const description = document.info().description() ?? '';
    for (const part of ['hub/listener', 'POST /tmf-api/event/v4/topic/{topicId}/hub', 'POST /tmf-api/event/v4/hub', 'At-least-once']) {
      expect(description).toContain(part);
    }
    expect(document.defaultContentType()).toBe('application/json');
  });

  it('should have only send operations, on the two callback channels and the WebSocket stream, with the expected messages', () => {
    const operations = document.operations().all().map((op) => ({
      id: op.id(),
      action: op.action(),
      channels: op.channels().all().map((c) => c.id()),
      messages: op.messages().all().map((m) => m.name()),
      method: op.bindings().get('http')?.value().method,
    }));
    const cloudEvents = ['CloudEventNotification', 'CloudEventBinaryNotification'];
    expect(operations).toEqual([
      { id: 'sendEventNotification', action: 'send', channels: ['topicHubCallback'], messages: ['EventNotification', 'ProjectedNotification', ...cloudEvents], method: 'POST' },
      { id: 'sendTopicCreateEvent', action: 'send', channels: ['listenerCallback'], messages: ['TopicCreateEvent', 'ProjectedNotification', ...cloudEvents], method: 'POST' },
      { id: 'sendTopicDeleteEvent', action: 'send', channels: ['listenerCallback'], messages: ['TopicDeleteEvent', 'ProjectedNotification', ...cloudEvents], method: 'POST' },
      { id: 'streamEvents', action: 'send', channels: ['eventStream'], messages: ['StreamEvent', 'StreamCloudEvent', 'StreamSnapshot', 'StreamPatch'], method: undefined },
    ]);
  });

  it('should address each channel to the registered callback and document the listener suffix', () => {
    for (const id of ['topicHubCallback', 'listenerCallback']) {
      const channel = document.channels().get(id)!;
      expect(channel.address()).toBe('{callback}');
      expect(channel.parameters().all().map((p) => p.id())).toEqual(['callback']);
      const text = `${channel.description()} ${channel.parameters().get('callback')!.description()}`;
      expect(text).toContain('HUB_LISTENER_SUFFIX=true');
      expect(text).toContain('/listener/{eventType in lowerCamel}');
    }
  });

  it('should declare the WebSocket stream on the hub server, with its query, subprotocols and close codes', () => {
    const channel = document.channels().get('eventStream')!;
    expect(channel.address()).toBe('/tmf-api/event/v4/topic/{topicId}/event/stream');
    expect(channel.servers().all().map((s) => s.protocol())).toEqual(['wss']);
    const ws = channel.bindings().get('ws')!.value();
    expect(Object.keys(ws.query.properties)).toEqual(['query', 'lastEventId', 'mode']);
    for (const part of ['1013', 'HUB_STREAM_BUFFER', 'cloudevents.json', 'lastEventId', 'TMF Error', 'mode=patch']) expect(channel.description()).toContain(part);
  });

  it('should describe the CloudEvents messages: structured with its content type, binary with required ce-* headers', () => {
    const structured = raw.components.messages.CloudEventNotification;
    expect(structured.contentType).toBe('application/cloudevents+json');
    expect(raw.components.schemas.CloudEventNotification.required).toEqual(['specversion', 'id', 'source', 'type', 'datacontenttype', 'data']);
    expect(raw.components.schemas.BinaryCloudEventHeaders.required).toEqual(expect.arrayContaining(['ce-specversion', 'ce-id', 'ce-source', 'ce-type', 'traceparent']));
  });

  it('should give every message the webhook headers, with the required ones required, and a JSON payload', () => {
    for (const name of ['EventNotification', 'TopicCreateEvent', 'TopicDeleteEvent', 'ProjectedNotification']) {
      const message = document.messages().all().find((m) => m.name() === name)!;
      expect(message).toBeDefined();
      expect(message.contentType()).toBe('application/json');
      const headers = message.headers()!;
      expect(Object.keys(headers.properties() ?? {})).toEqual(expect.arrayContaining(['content-type', ...WEBHOOK_HEADERS]));
      // The signature is optional: it is sent only when the subscription has a secret.
      expect(headers.required()).toEqual(['content-type', 'webhook-id', 'webhook-timestamp', 'webhook-attempt', 'traceparent']);
      expect(headers.properties()!['content-type'].const()).toBe('application/json');
    }
  });

  it('should require what the hub always sends in each payload', () => {
    const required = (schema: string) => raw.components.schemas[schema].allOf[1].required;
    expect(required('EventNotification')).toEqual(['id', 'href', '@type', 'eventId', 'eventTime']);
    expect(required('TopicCreateEventNotification')).toEqual(['id', 'eventId', 'eventTime', 'eventType', 'event']);
    expect(raw.components.schemas.TopicCreateEventNotification.allOf[1].properties.eventType).toEqual({ const: 'TopicCreateEvent' });
    expect(raw.components.schemas.TopicDeleteEventNotification.allOf[1].properties.eventType).toEqual({ const: 'TopicDeleteEvent' });
  });

  it('should take the TMF schemas unchanged from the bundled OpenAPI document', () => {
    const openapi = JSON.parse(readFileSync(join(PROJECT_ROOT, 'openapi', 'tmf688-event.oas3.json'), 'utf8'));
    for (const name of ['Event', 'Topic', 'TopicCreateEvent', 'TopicDeleteEvent', 'EntityRef']) {
      expect(raw.components.schemas[name]).toEqual(openapi.components.schemas[name]);
    }
  });

  it('should describe the signature scheme and apply it to every operation', () => {
    const scheme = document.components().securitySchemes().get('webhookSignature')!;
    expect([scheme.type(), scheme.name(), scheme.in()]).toEqual(['httpApiKey', 'webhook-signature', 'header']);
    for (const part of ['HMAC-SHA256', '{webhook-id}.{webhook-timestamp}.{raw body}', 'whsec_', 'secret', 'standardwebhooks']) {
      expect(scheme.description()).toContain(part);
    }
    for (const op of document.operations().all()) {
      const schemes = op.security().flatMap((requirement) => requirement.all().map((r) => r.scheme().name() ?? r.scheme().scheme() ?? r.scheme().type()));
      // Deliveries: the signature, and the credentials a listener may require (issue 25).
      expect(schemes).toEqual(op.id() === 'streamEvents' ? ['bearer'] : ['webhook-signature', 'bearer', 'basic', 'oauth2', 'X509']);
    }
  });

  it('should have examples that match their own schemas and carry signatures the hub would compute', () => {
    const schemaOf = messageSchemas(raw);
    for (const [name, message] of Object.entries<Json>(raw.components.messages)) {
      expect(message.examples).toHaveLength(1);
      const [example] = message.examples;
      const payload = schemaOf(name, 'payload');
      expect({ name, valid: payload(example.payload), errors: payload.errors }).toEqual({ name, valid: true, errors: null });
      // Stream frames carry no headers (and no signature): the WebSocket has none per message.
      if (!message.headers) continue;
      const headers = schemaOf(name, 'headers');
      expect({ name, valid: headers(example.headers), errors: headers.errors }).toEqual({ name, valid: true, errors: null });
      const h = example.headers;
      expect(h['webhook-signature']).toBe(signWebhook(EXAMPLE_SECRET, h['webhook-id'], h['webhook-timestamp'], JSON.stringify(example.payload)));
    }
    const { eventId: _dropped, ...withoutEventId } = raw.components.messages.EventNotification.examples[0].payload;
    expect(schemaOf('EventNotification', 'payload')(withoutEventId)).toBe(false);
  });
});
