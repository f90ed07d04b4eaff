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
    // openapi-backend makes an Ajv per validator, and each would compile JSON Schema's meta-schema to
    // check the contract's schemas again (about half of this start's CPU); the document itself is
    // still checked against the OpenAPI schema (strict), and the generated contract by its tests.
    ajvOpts: { validateSchema: false },
    // date-time and uri appear throughout the TMF schemas; without the formats ajv would skip those checks.
    customizeAjv: (ajv) => {
      addFormats(ajv);
      return ajv;
    },
  });
  await api.init();
  return api;
}
