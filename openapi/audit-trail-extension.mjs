// tmf688-hub extension: the audit trail (GET /auditRecord). Applied by build-from-swagger.mjs; kept
// apart so the generator's own conversion stays readable.

export const AUDIT_TAG = 'audit trail (tmf688-hub extension)';

/**
 * Adds the audit trail's paths and its AuditRecord schema to `paths` and `schemas` (mutated), and
 * returns its tag. `helpers` are the generator's own: ref, json, errorResponse, pageParams,
 * filterParam, countHeaders.
 */
export function addAuditTrail({ paths, schemas }, { ref, json, errorResponse, pageParams, filterParam, countHeaders }) {
  const tags = [AUDIT_TAG];
  const fields = { name: 'fields', in: 'query', required: false, description: 'Comma-separated attributes to keep', schema: { type: 'string' } };
  const forbidden = errorResponse('Forbidden: the audit trail is for admins');
  schemas.AuditRecord = {
    type: 'object',
    description:
      'One state change made through the API (topics, hubs and registrations, schemas, secret rotation, replay, redelivery, inbox ' +
      'clears) or one refusal (401, 403, 429). It holds who, what, on which resource and the answer\'s status: never a body, a ' +
      'query string, a header, a secret, a token or a key.',
    required: ['id', 'href', 'at', 'principal', 'operation', 'resource', 'status', '@type'],
    properties: {
      id: { type: 'string' },
      href: { type: 'string' },
      at: { type: 'string', format: 'date-time', description: 'When it was recorded.' },
      principal: {
        type: 'string',
        description: 'Who: the client\'s name (anonymous when the hub runs open, unauthenticated for a request without a valid credential).',
      },
      operation: { type: 'string', description: 'The operationId, e.g. deleteTopic (METHOD path when no operation matched).' },
      resource: { type: 'string', description: 'The href of the created resource, else the request path; never a query string.' },
      status: { type: 'integer', description: 'The HTTP status of the answer.' },
      '@type': { type: 'string', enum: ['AuditRecord'] },
    },
    additionalProperties: false,
  };
  paths['/auditRecord'] = {
    get: {
      operationId: 'listAuditRecord',
      summary: 'List the audit trail, newest first (admins only)',
      tags,
      parameters: [fields, ...pageParams, { ...filterParam, description: 'TMF630 filters, e.g. principal=billing, operation=deleteTopic, status.gte=400, at.gte=2026-01-01' }],
      responses: {
        200: { description: 'Success, newest first', headers: countHeaders, content: json({ type: 'array', items: ref('AuditRecord') }) },
        400: errorResponse('Bad Request'),
        403: forbidden,
      },
    },
  };
  paths['/auditRecord/{id}'] = {
    get: {
      operationId: 'retrieveAuditRecord',
      summary: 'Retrieve one audit record (admins only)',
      tags,
      parameters: [{ name: 'id', in: 'path', required: true, description: 'Identifier of the audit record', schema: { type: 'string' } }, fields],
      responses: {
        200: { description: 'Success', content: json(ref('AuditRecord')) },
        400: errorResponse('Bad Request'),
        403: forbidden,
        404: errorResponse('Not Found'),
      },
    },
  };
  return {
    name: AUDIT_TAG,
    description: 'Who changed what, and who was refused, newest first; admins only (HUB_AUDIT_RETENTION). Not part of TMF688.',
  };
}
