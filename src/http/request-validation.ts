import type { ErrorObject } from 'ajv';
import type OpenAPIBackend from 'openapi-backend';
import type { Operation } from 'openapi-backend';
import { pathTemplateParams } from './path-template-params';

/** A request as the contract sees it: the path is relative to the API root, the query grouped by name. */
export interface ContractRequest {
  method: string;
  path: string;
  query: Readonly<Record<string, string | string[]>>;
  body: unknown;
  contentType: string | undefined;
}

/** The ajv errors of a request to one operation, null when it passes. */
export type RequestCheck = (request: ContractRequest) => ErrorObject[] | null;

interface QueryParameter {
  name: string;
  in: string;
  explode?: boolean;
  content?: Record<string, unknown>;
  schema?: { type?: string };
}

const checks = new WeakMap<OpenAPIBackend, Map<string, RequestCheck>>();

/**
 * The contract check of one operation, worked out once per backend and operation: the same compiled
 * ajv validators openapi-backend's validateRequest runs, given the same input, without its
 * per-request work that depends only on the operation (compiling the path template, finding each
 * query parameter's declaration, cloning, cookie parsing). An operation declaring a query parameter
 * with JSON content or explode false (none does today) keeps validateRequest itself.
 */
export function requestValidation(api: OpenAPIBackend, operationId: string): RequestCheck {
  let byOperation = checks.get(api);
  if (!byOperation) checks.set(api, (byOperation = new Map()));
  let check = byOperation.get(operationId);
  if (!check) byOperation.set(operationId, (check = compile(api, operationId)));
  return check;
}

function compile(api: OpenAPIBackend, operationId: string): RequestCheck {
  const operation = api.getOperation(operationId);
  const query = ((operation?.parameters ?? []) as QueryParameter[]).filter((p) => p.in === 'query');
  if (!operation || query.some((p) => p.content?.['application/json'] || p.explode === false)) return (request) => validateRequest(api, operationId, request);
  const validators = api.validator.getRequestValidatorsForOperation(operationId) ?? [];
  const paramsOf = pathTemplateParams(operation.path);
  // validateRequest wraps a lone value of an array parameter in an array (the first declaration of a name counts).
  const firstByName = new Map<string, QueryParameter>();
  for (const p of query) if (!firstByName.has(p.name)) firstByName.set(p.name, p);
  const arrayNames = new Set([...firstByName.values()].filter((p) => p.schema?.type === 'array').map((p) => p.name));
  const onlyJson = onlyJsonBody(operation);

  return (request) => {
    const errors: ErrorObject[] = [];
    const { body, contentType } = request;
    // As validateRequest: a body that is not an object must still be JSON when the operation takes JSON
    // only; a JSON string body goes in as its JSON text (validateRequest below), so it is.
    const raw = typeof body === 'string' ? JSON.stringify(body) : body;
    if (typeof raw !== 'object' && raw !== undefined && onlyJson) {
      try {
        JSON.parse(`${raw}`);
      } catch (err) {
        errors.push({ keyword: 'parse', instancePath: '', schemaPath: '#/requestBody', params: [], message: (err as Error).message });
      }
    }
    const parameters: Record<string, unknown> = {
      path: paramsOf(api.router.normalizePath(request.path)) ?? {},
      // Copied (own data properties, so a key such as __proto__ stays a parameter): the validators coerce in place.
      query: Object.fromEntries(Object.entries(request.query).map(([name, value]) => [name, Array.isArray(value) ? [...value] : arrayNames.has(name) ? [value] : value])),
      header: contentType ? { 'content-type': contentType } : {},
      cookie: {},
    };
    if (typeof body === 'object' || contentType === 'application/json') parameters.requestBody = body;
    for (const validate of validators) {
      validate(parameters);
      if (validate.errors) errors.push(...validate.errors);
    }
    return errors.length ? errors : null;
  };
}

function onlyJsonBody(operation: Operation): boolean {
  const types = Object.keys((operation.requestBody as { content?: Record<string, unknown> } | undefined)?.content ?? {});
  return types.length === 1 && types[0] === 'application/json';
}

/** openapi-backend's own validation, with the body as it expects it. */
function validateRequest(api: OpenAPIBackend, operationId: string, request: ContractRequest): ErrorObject[] | null {
  const { method, path, query, body, contentType } = request;
  const validation = api.validateRequest(
    // The contract declares no security schemes; its one header parameter (Last-Event-ID) is free text.
    // openapi-backend JSON.parses a body that is not an object once more, only to check it is JSON:
    // a JSON string body ("text") goes in as its JSON text so that check passes.
    { method, path, query, body: typeof body === 'string' ? JSON.stringify(body) : body, headers: contentType ? { 'content-type': contentType } : {} },
    operationId,
  );
  return (validation.errors as ErrorObject[] | null | undefined) ?? null;
}
