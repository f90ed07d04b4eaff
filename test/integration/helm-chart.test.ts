import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CONFIG_VARIABLES } from '../../src/config';
import { secretText } from '../../src/config/parsers';
import { PROJECT_ROOT } from '../../src/paths';
import { CHART_DIR, FULL_VALUES, describeWithHelm, renderChart, runHelm, type Manifest } from '../helpers/helm-test';
import { readOdaComponent } from '../helpers/oda-component';

/**
 * The Helm chart (deploy/helm/tmf688-hub), rendered by a real helm (test/helm/helm.sh) with its
 * default values and with ci/full-values.yaml: lint, probes, security context, every variable it
 * sets against the hub's configuration table, the Secret references, and its refusals. No cluster
 * is involved: what Kubernetes would make of the objects is not tested here.
 */

const TABLE = new Set(CONFIG_VARIABLES.map((variable) => variable.name));
/** Variables whose value is a credential: never in a ConfigMap. */
const CREDENTIALS = new Set(['MONGODB_URL', 'HUB_API_KEYS', ...CONFIG_VARIABLES.filter((v) => v.parser === secretText).map((v) => v.name)]);
/** The variables the chart sets itself, and why `config` may not. */
const SET_BY_CHART: Record<string, string> = {
  PORT: 'from `port`, which the probes and the Service use too',
  HUB_PROCESSES: 'from `processes`, refused above 1 without MongoDB',
  HUB_CLIENTS_FILE: 'the path where `clients` is mounted',
  MONGODB_URL: 'from `mongodb`, a Secret',
  HUB_API_KEYS: 'from `apiKeys`, a Secret',
  HUB_OIDC_ISSUER: 'from `oidc`, a Secret',
  HUB_OIDC_AUDIENCE: 'from `oidc`, a Secret',
  HUB_OIDC_CLIENT_ID: 'from `oidc`, a Secret',
  HUB_KAFKA_SASL_USERNAME: 'from `kafka.sasl`, a Secret',
  HUB_KAFKA_SASL_PASSWORD: 'from `kafka.sasl`, a Secret',
};
const FULL = parse(readFileSync(FULL_VALUES, 'utf8')) as {
  mongodb: { url: string };
  apiKeys: { keys: string };
  oidc: { issuer: string; audience: string; clientId: string };
  kafka: { sasl: { username: string; password: string } };
  clients: { file: string };
  secretEnv: { name: string; secretName: string; key: string }[];
  serviceMonitor: { bearerTokenSecret: { name: string; key: string } };
};

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
}
interface Container {
  securityContext: Record<string, unknown> & { capabilities?: { drop?: string[] } };
  ports: { name: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: unknown }[];
  livenessProbe: { httpGet: { path: string; port: string; scheme: string } };
  readinessProbe: { httpGet: { path: string; port: string; scheme: string } };
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
}
interface PodSpec {
  automountServiceAccountToken: boolean;
  securityContext: Record<string, unknown>;
  containers: Container[];
  volumes: { name: string; emptyDir?: object; secret?: { secretName: string; items?: { key: string; path: string }[] } }[];
}
type Deployment = Manifest & { spec: { replicas?: number; strategy: { type: string }; template: { spec: PodSpec } } };

const one = <T extends Manifest>(manifests: Manifest[], kind: string): T => {
  const found = manifests.filter((m) => m.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, rendered ${found.length}`);
  return found[0] as T;
};
const hubContainer = (manifests: Manifest[]): Container => one<Deployment>(manifests, 'Deployment').spec.template.spec.containers[0];
const configMapData = (manifests: Manifest[]): Record<string, string> => one<Manifest & { data: Record<string, string> }>(manifests, 'ConfigMap').data;
const secretRefs = (manifests: Manifest[]): Record<string, { name: string; key: string; optional?: boolean }> =>
  Object.fromEntries((hubContainer(manifests).env ?? []).map((v) => [v.name, v.valueFrom?.secretKeyRef ?? { name: '(none)', key: '(none)' }]));

describeWithHelm('Helm chart deploy/helm/tmf688-hub', (helm) => {
  let defaults: Manifest[];
  let full: Manifest[];

  beforeAll(async () => {
    const [d, f] = await Promise.all([renderChart(helm), renderChart(helm, [FULL_VALUES])]);
    if (d.error || f.error) throw new Error(`helm template failed: ${d.error ?? f.error}`);
    defaults = d.manifests;
    full = f.manifests;
  }, 60_000);

  it.each([
    ['the default values', []],
    ['ci/full-values.yaml', ['-f', FULL_VALUES]],
  ])('passes helm lint --strict with %s', async (_label, args) => {
    const result = await runHelm(helm, ['lint', '--strict', CHART_DIR, ...args]);
    expect(result.stdout + result.stderr).toContain('0 chart(s) failed');
    expect(result.ok).toBe(true);
  }, 60_000);

  it('renders the objects each set of values asks for, and no others', () => {
    expect(defaults.map((m) => m.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'PodDisruptionBudget', 'Service']);
    expect(full.map((m) => m.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Secret', 'Service', 'ServiceMonitor']);
  });

  it.each(['defaults', 'full'])('probes /health (liveness) and /ready (readiness) on the port the hub listens on (%s)', (which) => {
    const manifests = which === 'defaults' ? defaults : full;
    const container = hubContainer(manifests);
    expect(container.livenessProbe.httpGet).toMatchObject({ path: '/health', port: 'http' });
    expect(container.readinessProbe.httpGet).toMatchObject({ path: '/ready', port: 'http' });
    const http = container.ports.find((p) => p.name === 'http');
    expect(String(http?.containerPort)).toBe(configMapData(manifests).PORT);
    expect(one<Manifest & { spec: { ports: { targetPort: string }[] } }>(manifests, 'Service').spec.ports[0].targetPort).toBe('http');
  });

  it('probes over HTTPS when the hub serves TLS itself (HUB_TLS_CERT), over HTTP otherwise', () => {
    expect(hubContainer(defaults).livenessProbe.httpGet.scheme).toBe('HTTP');
    expect(hubContainer(full).readinessProbe.httpGet.scheme).toBe('HTTPS');
    expect(hubContainer(full).livenessProbe.httpGet.scheme).toBe('HTTPS');
  });

  it.each(['defaults', 'full'])('runs non-root on a read-only root filesystem, without privilege escalation or capabilities (%s)', (which) => {
    const manifests = which === 'defaults' ? defaults : full;
    const pod = one<Deployment>(manifests, 'Deployment').spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(pod.automountServiceAccountToken).toBe(false);
    const { securityContext } = pod.containers[0];
    expect(securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(securityContext.privileged).not.toBe(true);
    expect(securityContext.capabilities?.drop).toEqual(['ALL']);
    // The one writable place: /tmp, an emptyDir.
    const tmp = pod.containers[0].volumeMounts.find((m) => m.mountPath === '/tmp');
    expect(pod.volumes.find((v) => v.name === tmp?.name)?.emptyDir).toBeDefined();
  });

  it.each(['defaults', 'full'])('sets only variables of the configuration table, credentials only from Secrets (%s)', (which) => {
    const manifests = which === 'defaults' ? defaults : full;
    const container = hubContainer(manifests);
    const fromConfigMap = Object.keys(configMapData(manifests));
    const fromEnv = (container.env ?? []).map((v) => v.name);
    expect([...fromConfigMap, ...fromEnv].filter((name) => !TABLE.has(name))).toEqual([]);
    expect(fromConfigMap.filter((name) => CREDENTIALS.has(name))).toEqual([]);
    // env holds Secret references only, and envFrom the chart's ConfigMap only: nothing else reaches the process.
    expect((container.env ?? []).filter((v) => v.value !== undefined || !v.valueFrom?.secretKeyRef)).toEqual([]);
    expect(container.envFrom).toEqual([{ configMapRef: { name: 'tmf688-hub' } }]);
  });

  it('sets every variable the chart owns from its values (ci/full-values.yaml uses them all)', () => {
    const set = new Set([...Object.keys(configMapData(full)), ...(hubContainer(full).env ?? []).map((v) => v.name)]);
    expect(Object.keys(SET_BY_CHART).filter((name) => !set.has(name))).toEqual([]);
    expect(configMapData(full)).toMatchObject({ PORT: '8080', HUB_PROCESSES: '2' });
  });

  it("references each credential in the chart's Secret under the key it stores, with the values' text", () => {
    const refs = secretRefs(full);
    const expected: [string, string, string][] = [
      ['MONGODB_URL', 'mongodb-url', FULL.mongodb.url],
      ['HUB_API_KEYS', 'api-keys', FULL.apiKeys.keys],
      ['HUB_OIDC_ISSUER', 'oidc-issuer', FULL.oidc.issuer],
      ['HUB_OIDC_AUDIENCE', 'oidc-audience', FULL.oidc.audience],
      ['HUB_OIDC_CLIENT_ID', 'oidc-client-id', FULL.oidc.clientId],
      ['HUB_KAFKA_SASL_USERNAME', 'kafka-sasl-username', FULL.kafka.sasl.username],
      ['HUB_KAFKA_SASL_PASSWORD', 'kafka-sasl-password', FULL.kafka.sasl.password],
    ];
    const secret = one<Manifest & { stringData: Record<string, string> }>(full, 'Secret');
    expect(secret.metadata.name).toBe('tmf688-hub');
    for (const [variable, key, value] of expected) {
      expect({ variable, ref: refs[variable] }).toEqual({ variable, ref: { name: 'tmf688-hub', key } });
      expect(secret.stringData[key]).toBe(value);
    }
    expect(secret.stringData['clients.yaml']).toBe(FULL.clients.file);
    // The chart's Secret holds nothing the Deployment does not use.
    expect(Object.keys(secret.stringData).sort()).toEqual([...expected.map(([, key]) => key), 'clients.yaml'].sort());
    for (const entry of FULL.secretEnv) expect(refs[entry.name]).toEqual({ name: entry.secretName, key: entry.key });
  });

  it('mounts the clients file read-only from its Secret where HUB_CLIENTS_FILE points', () => {
    const pod = one<Deployment>(full, 'Deployment').spec.template.spec;
    const mount = pod.containers[0].volumeMounts.find((m) => m.name === 'clients');
    expect(mount?.readOnly).toBe(true);
    expect(configMapData(full).HUB_CLIENTS_FILE).toBe(`${mount?.mountPath}/clients.yaml`);
    expect(pod.volumes.find((v) => v.name === 'clients')?.secret).toMatchObject({ secretName: 'tmf688-hub', items: [{ key: 'clients.yaml', path: 'clients.yaml' }] });
  });

  it.each([
    ['mongodb', ['mongodb.existingSecret=hub-mongo', 'mongodb.existingSecretKey=connectionString'], { MONGODB_URL: { name: 'hub-mongo', key: 'connectionString' } }, 'mongodb-url'],
    ['apiKeys', ['apiKeys.existingSecret=hub-keys'], { HUB_API_KEYS: { name: 'hub-keys', key: 'api-keys' } }, 'api-keys'],
    [
      'oidc',
      ['oidc.existingSecret=hub-oidc'],
      {
        HUB_OIDC_ISSUER: { name: 'hub-oidc', key: 'oidc-issuer' },
        HUB_OIDC_AUDIENCE: { name: 'hub-oidc', key: 'oidc-audience' },
        HUB_OIDC_CLIENT_ID: { name: 'hub-oidc', key: 'oidc-client-id', optional: true },
      },
      'oidc-issuer',
    ],
    [
      'kafka.sasl',
      ['kafka.sasl.existingSecret=hub-kafka'],
      { HUB_KAFKA_SASL_USERNAME: { name: 'hub-kafka', key: 'kafka-sasl-username' }, HUB_KAFKA_SASL_PASSWORD: { name: 'hub-kafka', key: 'kafka-sasl-password' } },
      'kafka-sasl-password',
    ],
  ])('reads %s from an existing Secret instead of its own when given one', async (_group, set, refs, ownKey) => {
    const { manifests, error } = await renderChart(helm, [FULL_VALUES], set);
    expect(error).toBeUndefined();
    expect(secretRefs(manifests)).toMatchObject(refs);
    expect(Object.keys(one<Manifest & { stringData: Record<string, string> }>(manifests, 'Secret').stringData)).not.toContain(ownKey);
  }, 60_000);

  it('mounts the clients file from an existing Secret when given one', async () => {
    const { manifests } = await renderChart(helm, [], ['clients.existingSecret=hub-clients']);
    const pod = one<Deployment>(manifests, 'Deployment').spec.template.spec;
    expect(pod.volumes.find((v) => v.name === 'clients')?.secret?.secretName).toBe('hub-clients');
    expect(manifests.map((m) => m.kind)).not.toContain('Secret');
  }, 60_000);

  it('scrapes /metrics on the http port with the credential of serviceMonitor.bearerTokenSecret', () => {
    const monitor = one<Manifest & { spec: { endpoints: Record<string, unknown>[] } }>(full, 'ServiceMonitor');
    expect(monitor.spec.endpoints).toEqual([
      expect.objectContaining({ port: 'http', path: '/metrics', scheme: 'https', authorization: { type: 'Bearer', credentials: FULL.serviceMonitor.bearerTokenSecret } }),
    ]);
    const hpa = one<Manifest & { spec: { scaleTargetRef: { kind: string; name: string } } }>(full, 'HorizontalPodAutoscaler');
    expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: 'tmf688-hub' });
    // The autoscaler owns the replica count.
    expect(one<Deployment>(full, 'Deployment').spec.replicas).toBeUndefined();
  });

  it('replaces the pod at once on the embedded store, rolls it on MongoDB', () => {
    expect(one<Deployment>(defaults, 'Deployment').spec.strategy.type).toBe('Recreate');
    expect(one<Deployment>(full, 'Deployment').spec.strategy.type).toBe('RollingUpdate');
  });

  it.each([
    [['replicaCount=2', 'mongodb.url=mongodb://mongo:27017/tmf688'], 2],
    [['replicaCount=2', 'mongodb.existingSecret=hub-mongo'], 2],
  ])('renders several replicas with MongoDB (%s)', async (set, replicas) => {
    const { manifests, error } = await renderChart(helm, [], set);
    expect(error).toBeUndefined();
    expect(one<Deployment>(manifests, 'Deployment').spec.replicas).toBe(replicas);
  }, 60_000);

  it.each([
    ['replicaCount=2', 'replicaCount 2 needs MongoDB: set mongodb.url or mongodb.existingSecret'],
    ['autoscaling.enabled=true', 'autoscaling.enabled needs MongoDB'],
    ['processes=2', 'processes 2 (HUB_PROCESSES) needs MongoDB'],
    ['oidc.issuer=https://sso.example.com/realms/a', 'oidc needs both issuer and audience'],
    ['config.HUB_TLS_CLIENT_CERT=required', "would refuse the kubelet's /health and /ready probes"],
    ['config.HUB_MQTT_URL=mqtt://mqtt:1883,replicaCount=2,mongodb.url=mongodb://m/x', 'config.HUB_MQTT_URL cannot be used with more than one pod'],
    ['serviceMonitor.enabled=true,serviceMonitor.bearerTokenSecret.name=x', 'serviceMonitor.bearerTokenSecret needs both name and key'],
    // values.schema.json: credentials, the chart's own variables and unknown names are not config.
    ['config.MONGODB_URL=mongodb://mongo/x', "invalid propertyName 'MONGODB_URL'"],
    ['config.HUB_NATS_PASSWORD=p', "invalid propertyName 'HUB_NATS_PASSWORD'"],
    ['config.PORT=9090', "invalid propertyName 'PORT'"],
    ['config.HUB_NO_SUCH_VARIABLE=1', "invalid propertyName 'HUB_NO_SUCH_VARIABLE'"],
    ['secretEnv[0].name=PORT,secretEnv[0].secretName=s,secretEnv[0].key=k', "at '/secretEnv/0/name': value must be one of"],
    ['secretEnv[0].name=HUB_NATS_PASSWORD', "at '/secretEnv/0': missing properties"],
    ['replicaCount=0', "at '/replicaCount': minimum"],
  ])('refuses --set %s, saying why', async (set, message) => {
    const { manifests, error } = await renderChart(helm, [], [set]);
    expect(manifests).toEqual([]);
    expect(error).toContain(message);
  }, 60_000);

  it("holds values.schema.json's variable lists to the configuration table", () => {
    const schema = JSON.parse(readFileSync(join(CHART_DIR, 'values.schema.json'), 'utf8')) as {
      properties: { config: { propertyNames: { enum: string[] } }; secretEnv: { items: { properties: { name: { enum: string[] } } } } };
    };
    const names = CONFIG_VARIABLES.map((v) => v.name);
    // config: every variable but the chart's own and credentials; secretEnv: every variable but the chart's own.
    expect(schema.properties.config.propertyNames.enum).toEqual(names.filter((n) => !(n in SET_BY_CHART) && !CREDENTIALS.has(n)));
    expect(schema.properties.secretEnv.items.properties.name.enum).toEqual(names.filter((n) => !(n in SET_BY_CHART)));
  });

  it("tags the image with the hub's version by default", () => {
    const { version } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(hubContainer(defaults)).toMatchObject({ image: `tmf688-hub:${version}` });
  });

  it('is the deployment the ODA component manifest describes: its Service, port and probes', () => {
    const component = readOdaComponent();
    const service = one<Manifest & { spec: { ports: { port: number }[] } }>(defaults, 'Service');
    const apis = [...component.spec.coreFunction.exposedAPIs, ...component.spec.managementFunction.exposedAPIs];
    expect(new Set(apis.map((api) => `${api.implementation}:${api.port}`))).toEqual(new Set([`${service.metadata.name}:${service.spec.ports[0].port}`]));
    const container = hubContainer(defaults);
    expect(component.metadata.annotations['tmf688-hub/liveness-probe']).toBe(container.livenessProbe.httpGet.path);
    expect(component.metadata.annotations['tmf688-hub/readiness-probe']).toBe(container.readinessProbe.httpGet.path);
  });
});

