import { readFileSync } from 'node:fs';
import type { Document } from 'openapi-backend';
import { OPENAPI_FILE } from '../paths';

/** The bundled OpenAPI document as generated (openapi/tmf688-event.oas3.json). */
export function loadOpenApiDocument(): Document {
  return JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as Document;
}

export interface ContractLimits {
  /** HUB_LIST_MAX_LIMIT: the largest `limit` a list request may ask for. */
  listMaxLimit: number;
}

/** The largest `offset` the document allows: what the stores page by (2^31-1). */
export const MAX_OFFSET = 2_147_483_647;

/**
 * The contract of this hub as configured: the bundled document with the paging bounds the hub
 * enforces, so that what the served /openapi.json allows is what the validator accepts. Every
 * `limit` query parameter gets maximum HUB_LIST_MAX_LIMIT, every `offset` minimum 0 and maximum
 * MAX_OFFSET. Returns a fresh copy; the bundled file is never changed.
 */
export function contractDocument(limits: ContractLimits): Document {
  const doc = loadOpenApiDocument();
  for (const item of Object.values(doc.paths ?? {})) {
    for (const operation of Object.values(item ?? {})) {
      const parameters = (operation as { parameters?: unknown[] } | undefined)?.parameters;
      if (!Array.isArray(parameters)) continue;
      for (const parameter of parameters as { in?: string; name?: string; schema?: Record<string, unknown>; [k: string]: unknown }[]) {
        if (parameter.in !== 'query' || !parameter.schema) continue;
        if (parameter.name === 'limit') {
          parameter.schema = { ...parameter.schema, minimum: 0, maximum: limits.listMaxLimit };
          parameter['x-tmf688-hub-fix'] = 'minimum 0, maximum HUB_LIST_MAX_LIMIT (set when the hub starts)';
        } else if (parameter.name === 'offset') {
          parameter.schema = { ...parameter.schema, minimum: 0, maximum: MAX_OFFSET };
        }
      }
    }
  }
  return doc;
}
