import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { loadOpenApiDocument } from '../../src/http/contract-document';
import { ODA_MANIFEST_RULES, parseOdaManifest } from '../../src/hub/oda-manifest';
import { expectBadRequest } from '../helpers/expect-bad-request';
import { CATALOG, ODA_FIXTURES, ORDERING, readManifest } from '../helpers/oda-manifests';

const base = (events: unknown, metadata: Record<string, unknown> = { name: 'c1' }) => ({ apiVersion: 'oda.tmforum.org/v1', kind: 'Component', metadata, spec: { eventNotification: events } });

describe('parseOdaManifest', () => {
  it('should read the reference manifests from YAML text, ignoring everything but the wiring', () => {
    const catalog = parseOdaManifest(readFileSync(ODA_FIXTURES.catalog, 'utf8'), CATALOG);
    expect(catalog).toEqual({
      name: CATALOG,
      namespace: 'components',
      published: [{ name: 'ProductSpecificationCreateEvent' }, { name: 'ProductOfferingCreateEvent' }, { name: 'ProductOfferingStateChangeEvent' }],
      subscribed: [],
      digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    });
    const ordering = parseOdaManifest(readFileSync(ODA_FIXTURES.ordering, 'utf8'), ORDERING);
    expect(ordering.subscribed).toEqual([
      {
        name: 'ProductOfferingStateChangeEvent',
        callback: '/r1-productorderingmanagement/tmf-api/productOrderingManagement/v4/listener/productOfferingStateChangeEvent',
        query: 'eventType=ProductOfferingStateChangeEvent&event.productOffering.lifecycleStatus=Launched',
        port: 8080,
        implementation: 'r1-productorderingapi',
      },
    ]);
  });

  it('should give the same manifest the same digest in YAML and JSON, whatever the key order, and another one another digest', () => {
    const manifest = readManifest(ODA_FIXTURES.catalog);
    const reordered = { spec: manifest.spec, metadata: manifest.metadata, kind: manifest.kind, apiVersion: manifest.apiVersion };
    const digest = parseOdaManifest(stringify(manifest), CATALOG).digest;
    expect(parseOdaManifest(reordered, CATALOG).digest).toBe(digest);
    expect(parseOdaManifest({ ...manifest, spec: { ...manifest.spec, extra: 1 } }, CATALOG).digest).not.toBe(digest);
  });

  it.each<[string, unknown, Partial<ReturnType<typeof parseOdaManifest>>]>([
    ['no eventNotification', base(undefined), { published: [], subscribed: [] }],
    ['null lists (an empty YAML key)', base({ publishedEvents: null, subscribedEvents: null }), { published: [], subscribed: [] }],
    ['no namespace: default', base({}), { namespace: 'default' }],
    ['an empty query: none', base({ subscribedEvents: [{ name: 't', callback: '/x', query: '' }] }), { subscribed: [{ name: 't', callback: '/x' }] }],
    ['a name of 256 emoji (counted as characters)', base({ publishedEvents: [{ name: '😀'.repeat(256) }] }), { published: [{ name: '😀'.repeat(256) }] }],
  ])('should read %s', (_what, body, expected) => {
    expect(parseOdaManifest(body, 'c1')).toMatchObject(expected);
  });

  it.each<[string, unknown, string]>([
    ['invalid YAML', 'a: [', 'The body is not valid YAML'],
    ['two YAML documents', 'a: 1\n---\nb: 2\n', 'The body is not valid YAML'],
    ['duplicate YAML keys', 'kind: Component\nkind: Component\n', 'The body is not valid YAML'],
    ['nothing', undefined, 'The body must be an ODA Component manifest'],
    ['a list', [], 'The body must be an ODA Component manifest'],
    ['YAML nested too deep', `${'['.repeat(70)}${']'.repeat(70)}`, 'The body nests deeper than 64 levels'],
    ['v1beta3', { ...base({}), apiVersion: 'oda.tmforum.org/v1beta3' }, 'apiVersion: must be oda.tmforum.org/v1, got "oda.tmforum.org/v1beta3"'],
    ['another kind', { ...base({}), kind: 'component' }, 'kind: must be Component, got "component"'],
    ['no metadata', { ...base({}), metadata: undefined }, 'metadata: must be a mapping'],
    ['a name with capitals', base({}, { name: 'C1' }), 'metadata.name: must be a Kubernetes name'],
    ['a name too long', base({}, { name: 'a'.repeat(254) }), 'metadata.name: must be a Kubernetes name'],
    ["another component's name", base({}, { name: 'c2' }), 'metadata.name: "c2" is not the component of the path, "c1"'],
    ['a namespace with a dot', base({}, { name: 'c1', namespace: 'a.b' }), 'metadata.namespace: must be a Kubernetes name'],
    ['no spec', { ...base({}), spec: 'x' }, 'spec: must be a mapping'],
    ['eventNotification a list', base([]), 'spec.eventNotification: must be a mapping'],
    ['publishedEvents a mapping', base({ publishedEvents: {} }), 'spec.eventNotification.publishedEvents: must be a list'],
    ['too many entries', base({ publishedEvents: Array.from({ length: 501 }, (_, i) => ({ name: `t${i}` })) }), 'publishedEvents: at most 500 entries'],
    ['an entry that is a text', base({ publishedEvents: ['t'] }), 'publishedEvents[0]: must be a mapping with a name'],
    ['an entry without a name', base({ subscribedEvents: [{ callback: '/x' }] }), 'subscribedEvents[0].name: must be a topic name of 1 to 256 characters'],
    ['a name too long', base({ publishedEvents: [{ name: 'x'.repeat(257) }] }), 'publishedEvents[0].name: must be a topic name'],
    ['a numeric name', base({ publishedEvents: [{ name: 7 }] }), 'publishedEvents[0].name: must be a topic name'],
    ['an empty callback', base({ subscribedEvents: [{ name: 't', callback: '' }] }), 'subscribedEvents[0].callback: must be a text of 1 to 2048 characters'],
    ['a query that is a number', base({ subscribedEvents: [{ name: 't', query: 1 }] }), 'subscribedEvents[0].query: must be a text of 0 to 4096 characters'],
    ['a port 0', base({ subscribedEvents: [{ name: 't', port: 0 }] }), 'subscribedEvents[0].port: must be an integer from 1 to 65535'],
    ['a port 80.5', base({ subscribedEvents: [{ name: 't', port: 80.5 }] }), 'subscribedEvents[0].port: must be an integer from 1 to 65535'],
    ['an implementation with a dot', base({ subscribedEvents: [{ name: 't', implementation: 'a.b' }] }), 'subscribedEvents[0].implementation: must be a Kubernetes name'],
  ])('should refuse %s with a 400 naming it', (_what, body, message) => {
    const error = expectBadRequest(() => parseOdaManifest(body, 'c1'));
    expect(error.reason).toBe('Invalid manifest');
    expect(error.message).toContain(message);
  });
});

/** The contract states the same rules for JSON bodies: the two must not drift apart. */
describe('the manifest rules in the contract', () => {
  const doc = loadOpenApiDocument() as unknown as { components: { schemas: Record<string, any> }; paths: Record<string, any> };
  const manifest = doc.components.schemas.OdaComponentManifest;
  const notification = manifest.properties.spec.properties.eventNotification.properties;
  const subscribed = notification.subscribedEvents.items.properties;

  it('should state the same apiVersion, kind, name patterns and limits as src/hub/oda-manifest.ts', () => {
    const rules = ODA_MANIFEST_RULES;
    expect(manifest.properties.apiVersion.enum).toEqual([rules.apiVersion]);
    expect(manifest.properties.kind.enum).toEqual([rules.kind]);
    const name = doc.paths['/odaComponent/{name}'].put.parameters[0].schema;
    for (const schema of [name, manifest.properties.metadata.properties.name]) expect([schema.pattern, schema.maxLength]).toEqual([rules.namePattern, rules.nameMaxLength]);
    for (const schema of [manifest.properties.metadata.properties.namespace, subscribed.implementation]) expect([schema.pattern, schema.maxLength]).toEqual([rules.labelPattern, rules.labelMaxLength]);
    for (const list of [notification.publishedEvents, notification.subscribedEvents]) {
      expect(list.maxItems).toBe(rules.maxEntries);
      expect(list.items.properties.name.maxLength).toBe(rules.entryNameMaxLength);
    }
    expect(subscribed.callback.maxLength).toBe(rules.callbackMaxLength);
    expect(subscribed.query.maxLength).toBe(rules.queryMaxLength);
  });
});
