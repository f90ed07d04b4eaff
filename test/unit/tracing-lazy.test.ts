import { loadConfig } from '../../src/config';
import { composeHub } from '../../src/compose-hub';
import { createLogger } from '../../src/logger';
import { sharedApi } from '../helpers/test-app';
import { memoryStores } from '../helpers/test-stores';

// Loading the adapter (and with it the OpenTelemetry SDK) fails this file: only an endpoint may load it.
jest.mock('../../src/tracing/otel-tracer', () => {
  throw new Error('the OpenTelemetry SDK was loaded');
});

describe('the OpenTelemetry SDK', () => {
  const build = async (env: Record<string, string>) =>
    composeHub({ config: { ...loadConfig(env), logLevel: 'silent' }, logger: createLogger('silent'), stores: memoryStores(), api: await sharedApi(1000) });

  it('should not be loaded without OTEL_EXPORTER_OTLP_ENDPOINT', async () => {
    const hub = await build({});
    await hub.stop(0);
  });

  it('should be loaded with it', async () => {
    await expect(build({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).rejects.toThrow('the OpenTelemetry SDK was loaded');
  });
});
