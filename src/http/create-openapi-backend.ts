import addFormats from 'ajv-formats';
import OpenAPIBackend from 'openapi-backend';
import { contractDocument, type ContractLimits } from './contract-document';

/**
 * The contract as openapi-backend holds it: the operation list the dispatcher routes with, and the
 * compiled request validators, for contractDocument(limits), the document /openapi.json serves for
 * the same limits. Strict mode refuses an invalid document at boot. It holds no per-app state, so a
 * process builds one per limits: initialising it compiles every schema (most of a second).
 */
export async function createOpenApiBackend(limits: ContractLimits): Promise<OpenAPIBackend> {
  const api = new OpenAPIBackend({
    definition: contractDocument(limits),
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
