import { readFileSync } from 'node:fs';
import addFormats from 'ajv-formats';
import OpenAPIBackend, { type Document } from 'openapi-backend';
import { OPENAPI_FILE } from '../paths';

export function loadOpenApiDocument(): Document {
  return JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as Document;
}

/**
 * The contract as openapi-backend holds it: the operation list the dispatcher routes with, and the
 * compiled request validators. Strict mode refuses an invalid document at boot. It holds no per-app
 * state, so a process builds it once: initialising it compiles every schema (most of a second).
 */
export async function createOpenApiBackend(): Promise<OpenAPIBackend> {
  const api = new OpenAPIBackend({
    definition: loadOpenApiDocument(),
    strict: true,
    apiRoot: '/',
    // date-time and uri appear throughout the TMF schemas; without the formats ajv would skip those checks.
    customizeAjv: (ajv) => {
      addFormats(ajv);
      return ajv;
    },
  });
  await api.init();
  return api;
}
