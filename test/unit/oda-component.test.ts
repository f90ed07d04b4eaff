import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROLES } from '../../src/access/principal';
import { API_ROOTS } from '../../src/http/api-roots';
import { TOPIC_NOTIFICATIONS } from '../../src/hub/topic-service';
import { OPENAPI_FILE, PROJECT_ROOT } from '../../src/paths';
import { readOdaComponent } from '../helpers/oda-component';

/**
 * deploy/oda/tmf688-hub.component.yaml, the hub as an ODA Component, held to the hub's code: the API
 * roots it serves, the events it publishes, the roles it enforces. (Its Service name, port and probes
 * are held to the rendered chart in test/integration/helm-chart.test.ts.)
 */

describe('ODA component manifest deploy/oda/tmf688-hub.component.yaml', () => {
  const component = readOdaComponent();
  const contract = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as { info: { version: string }; paths: Record<string, Record<string, unknown>> };
  const { version } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };

  it('is an ODA Component v1 named after the hub, at its version', () => {
    expect(component).toMatchObject({ apiVersion: 'oda.tmforum.org/v1', kind: 'Component', metadata: { name: 'tmf688-hub' } });
    expect(component.metadata.labels['oda.tmforum.org/componentName']).toBe(component.metadata.name);
    expect(component.spec.componentMetadata).toMatchObject({ name: 'tmf688-hub', version });
  });

  it("exposes the TMF688 API at each of the hub's API roots, and nothing else, as OpenAPI", () => {
    const apis = component.spec.coreFunction.exposedAPIs;
    expect(apis.map((api) => api.path).sort()).toEqual([...API_ROOTS].sort());
    for (const api of apis) {
      expect(api.apiType).toBe('openapi');
      expect(api.specification?.map((s) => s.version)).toEqual([`v${contract.info.version}`]);
      expect(api.specification?.[0].url).toMatch(/TMF688-Event-v4\.0\.0\.swagger\.json$/);
    }
  });

  it("declares as published events TMF688's topic notifications (the contract's /listener operations), every one the hub sends among them, through POST /hub", () => {
    const events = component.spec.eventNotification.publishedEvents;
    const listened = Object.keys(contract.paths)
      .map((path) => /^\/listener\/(topic[A-Za-z]+Event)$/.exec(path)?.[1])
      .filter((name): name is string => name !== undefined)
      .map((name) => name[0].toUpperCase() + name.slice(1));
    expect(listened.sort()).toEqual(['TopicChangeEvent', 'TopicCreateEvent', 'TopicDeleteEvent']);
    expect(events.map((e) => e.name).sort()).toEqual(listened);
    for (const sent of Object.keys(TOPIC_NOTIFICATIONS)) expect(events.map((e) => e.name)).toContain(sent);
    expect(contract.paths['/hub']?.post).toBeDefined();
    for (const event of events) expect(API_ROOTS.map((root) => `${root}/hub`)).toContain(event.hub);
    expect(component.spec.eventNotification.subscribedEvents).toEqual([]);
  });

  it('serves everything from one implementation on one port, metrics as Prometheus at /metrics', () => {
    const all = [...component.spec.coreFunction.exposedAPIs, ...component.spec.managementFunction.exposedAPIs, ...component.spec.eventNotification.publishedEvents];
    expect(new Set(all.map((api) => `${api.implementation}:${api.port}`))).toEqual(new Set(['tmf688-hub:8080']));
    expect(component.spec.managementFunction.exposedAPIs).toEqual([expect.objectContaining({ name: 'metrics', apiType: 'prometheus', path: '/metrics' })]);
  });

  it('declares the roles the hub enforces, and gives the Canvas one of them', () => {
    const { componentRole, canvasSystemRole } = component.spec.securityFunction;
    expect(componentRole.map((role) => role.name)).toEqual([...ROLES]);
    expect(componentRole.filter((role) => !role.description)).toEqual([]);
    expect(ROLES).toContain(canvasSystemRole);
  });

  it('names the probes the chart gives the pods', () => {
    expect(component.metadata.annotations).toMatchObject({ 'tmf688-hub/liveness-probe': '/health', 'tmf688-hub/readiness-probe': '/ready' });
  });
});
