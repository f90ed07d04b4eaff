import type { ErrorObject } from 'ajv';

const PARAMETER_LOCATIONS = new Set(['query', 'path', 'header']);

/**
 * Turns ajv errors from openapi-backend into one sentence naming each offending field, e.g.
 * "callback is required; query parameter limit must be >= 0".
 */
export function validationMessage(errors: readonly ErrorObject[] | null | undefined): string {
  if (!errors?.length) return 'The request does not match the API contract';
  return [...new Set(errors.map(describe))].join('; ');
}

function describe(e: ErrorObject): string {
  const segments = e.instancePath.split('/').filter(Boolean).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const [location, ...rest] = segments;
  const isParameter = PARAMETER_LOCATIONS.has(location);
  const inBody = location === 'requestBody' ? rest : segments;
  const name = (extra?: string) => {
    const path = [...(isParameter ? rest : inBody), ...(extra ? [extra] : [])].join('.');
    if (isParameter) return `${location} parameter ${path}`;
    return path || 'the body';
  };
  const params = e.params as { missingProperty?: string; additionalProperty?: string };
  if (e.keyword === 'required') {
    if (params.missingProperty === 'requestBody') return 'a JSON body is required';
    return `${name(params.missingProperty)} is required`;
  }
  if (e.keyword === 'additionalProperties') {
    return `${name(params.additionalProperty)} is not allowed here`;
  }
  return `${name()} ${e.message ?? 'is invalid'}`;
}
