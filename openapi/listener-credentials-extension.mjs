// tmf688-hub extension: what a listener may require of deliveries (auth, client certificate,
// headers) and changing it (POST .../credentials). Applied by build-from-swagger.mjs; kept apart so
// the generator's own conversion stays readable.

const VISIBLE = '^[!-~]+$';
const PRINTABLE = '^[^\\u0000-\\u001f\\u007f]+$';

/**
 * Adds `auth`, `tls` and `headers` to the subscription schemas, their schemas, and the two
 * credentials operations to `paths` and `schemas` (mutated). `helpers` are the generator's own.
 */
export function addListenerCredentials({ paths, schemas }, { ref, json, errorResponse, pathParam, fixNote, tag }) {
  schemas.ListenerAuth = {
    type: 'object',
    description:
      'tmf688-hub extension: the Authorization every delivery attempt carries. bearer: {type, token} sends "Bearer <token>". ' +
      'basic: {type, username, password} sends HTTP Basic. oauth2: {type, tokenUrl, clientId, clientSecret, scope?, audience?, clientAuth?} ' +
      'takes a token by the client-credentials grant (RFC 6749 section 4.4; client authentication by HTTP Basic, or in the body with ' +
      'clientAuth "body"), keeps it until 30 s before it expires, and takes a new one once when the listener answers 401. Each type ' +
      'takes exactly its own attributes (a 400 names a missing or foreign one). The token, password and client secret are write-only: ' +
      'never returned, logged, recorded or filterable.',
    required: ['type'],
    properties: {
      type: { type: 'string', enum: ['bearer', 'basic', 'oauth2'] },
      token: { type: 'string', minLength: 1, maxLength: 4096, pattern: VISIBLE, writeOnly: true, description: 'bearer: the token (visible ASCII, no space). Never returned.' },
      username: { type: 'string', minLength: 1, maxLength: 256, pattern: '^[^\\u0000-\\u001f\\u007f:]+$', description: 'basic: the user name (no ":", RFC 7617).' },
      password: { type: 'string', minLength: 1, maxLength: 4096, pattern: PRINTABLE, writeOnly: true, description: 'basic: the password. Never returned.' },
      tokenUrl: {
        type: 'string',
        maxLength: 2048,
        pattern: '^[Hh][Tt][Tt][Pp][Ss]?://[^\\u0000-\\u0020\\u007f/?#@]+([/?#][^\\u0000-\\u001f\\u007f]*)?$',
        description: 'oauth2: the token endpoint, an http(s) URL without user information; connected to under the same rules as callbacks (HUB_CALLBACK_POLICY).',
      },
      clientId: { type: 'string', minLength: 1, maxLength: 256, pattern: PRINTABLE, description: 'oauth2: the client id.' },
      clientSecret: { type: 'string', minLength: 1, maxLength: 4096, pattern: PRINTABLE, writeOnly: true, description: 'oauth2: the client secret. Never returned.' },
      scope: { type: 'string', minLength: 1, maxLength: 1024, pattern: '^[!#-\\[\\]-~]+( [!#-\\[\\]-~]+)*$', description: 'oauth2: the scope asked for, space-separated tokens.' },
      audience: { type: 'string', minLength: 1, maxLength: 1024, pattern: PRINTABLE, description: 'oauth2: the audience asked for (sent as the audience parameter, as Auth0 and Keycloak take it).' },
      clientAuth: { type: 'string', enum: ['basic', 'body'], description: 'oauth2: how the client authenticates at the token endpoint: HTTP Basic (default) or client_id and client_secret in the body.' },
    },
    additionalProperties: false,
  };
  schemas.ListenerTls = {
    type: 'object',
    description:
      'tmf688-hub extension: a client certificate presented to the listener (mutual TLS), and optionally a CA to trust for the ' +
      'listener\'s own certificate (besides the public ones). Sent: certificate (PEM, the leaf first, optionally its chain), privateKey ' +
      '(PEM, unencrypted, matching the certificate) and ca (PEM). Shown: the certificate\'s subject, SHA-256 fingerprint and expiry, never a key.',
    properties: {
      certificate: { type: 'string', minLength: 1, maxLength: 65536, writeOnly: true, description: 'PEM certificate (chain).' },
      privateKey: { type: 'string', minLength: 1, maxLength: 65536, writeOnly: true, description: 'PEM private key. Never returned.' },
      ca: { type: 'string', minLength: 1, maxLength: 65536, writeOnly: true, description: 'PEM CA certificates the listener\'s certificate may be signed by.' },
      subject: { type: 'string', readOnly: true, description: 'The certificate\'s subject, RFC 4514 style (CN=...,O=...).' },
      fingerprint: { type: 'string', readOnly: true, description: 'SHA-256 of the certificate, colon-separated hex.' },
      expiresAt: { type: 'string', format: 'date-time', readOnly: true, description: 'When the certificate expires (notAfter).' },
    },
    additionalProperties: false,
  };
  schemas.ListenerHeaders = {
    type: 'object',
    description:
      'tmf688-hub extension: headers sent on every delivery attempt, as given. At most 20; names are header tokens; not content-type, ' +
      'content-length, host, connection, transfer-encoding, keep-alive, upgrade, te, trailer, expect, traceparent, tracestate, webhook-*, ' +
      'ce-*, nor authorization when auth is set.',
    maxProperties: 20,
    additionalProperties: { type: 'string', maxLength: 4096 },
  };
  const attributes = { auth: ref('ListenerAuth'), tls: ref('ListenerTls'), headers: ref('ListenerHeaders') };
  for (const name of ['Hub_Create', 'Hub', 'EventSubscriptionInput', 'EventSubscription']) {
    for (const [attribute, schema] of Object.entries(attributes)) schemas[name].properties[attribute] = { allOf: [schema], 'x-tmf688-hub-extension': true };
    fixNote(schemas[name], 'auth, tls and headers (tmf688-hub extensions): what the listener requires of deliveries; secrets write-only');
  }
  schemas.CredentialsChange = {
    type: 'object',
    description: 'Replaces each of auth, tls and headers that it names, and removes those `remove` lists; the others, and the signing secret, stay.',
    minProperties: 1,
    properties: {
      ...attributes,
      remove: {
        type: 'array',
        items: { type: 'string', enum: ['auth', 'tls', 'headers'] },
        uniqueItems: true,
        description: 'Credentials to remove (not also given in the same request).',
      },
    },
    additionalProperties: false,
  };
  const operation = (operationId, label, params, resource) => ({
    operationId,
    summary: `Replace what the listener of ${label} requires of deliveries: auth, client certificate, headers`,
    description:
      'The next delivery attempt carries the new credentials (a cached OAuth2 token and TLS connections of the old ones are dropped). ' +
      'Answers the subscription as every answer shows it: auth without token, password or client secret; tls as subject, fingerprint ' +
      'and expiry; headers as sent. A broker callback (kafka:) takes none (400).',
    tags: [tag],
    parameters: params,
    requestBody: { required: true, content: json(ref('CredentialsChange')) },
    responses: {
      200: { description: 'Replaced', content: json(ref(resource)) },
      400: errorResponse('Bad Request: an attribute that is not valid, named in the message'),
      404: errorResponse('Not Found'),
    },
  });
  paths['/topic/{topicId}/hub/{hubId}/credentials'] = {
    post: operation('replaceTopicHubCredentials', 'a topic hub', [pathParam('topicId', 'Identifier of the topic'), pathParam('hubId', 'Identifier of the hub')], 'Hub'),
  };
  paths['/hub/{hubId}/credentials'] = {
    post: operation('replaceListenerCredentials', 'a listener registration (POST /hub)', [pathParam('hubId', 'Identifier of the listener registration')], 'EventSubscription'),
  };
}
