import type { ConfigTable } from './config-entry';
import { TLS_CLIENT_CERT_MODES, type Config } from './config-types';
import { apiKeyList, boolean, exactHttpUrl, oneOf, readableFile, text } from './parsers';

type AccessKey = 'apiKeys' | 'clientsFile' | 'oidcIssuer' | 'oidcAudience' | 'oidcClientId' | 'tlsCert' | 'tlsKey' | 'tlsClientCa' | 'tlsClientCert' | 'publicDocs';

/**
 * Who may call the API (docs/security.md): the rows of CONFIG_TABLE for API keys, the clients file,
 * OAuth2 tokens, TLS and client certificates, in the order --help lists them. With none of
 * HUB_API_KEYS, HUB_CLIENTS_FILE, HUB_OIDC_ISSUER and HUB_TLS_CLIENT_CA set, the hub is open.
 */
export const ACCESS_CONFIG_TABLE: Pick<ConfigTable, AccessKey> = {
  apiKeys: {
    env: 'HUB_API_KEYS',
    parser: apiKeyList,
    fallback: [],
    help: 'Comma-separated keys, each an admin client (api-key-1, ...); every API call then needs a credential: Authorization: Bearer <key>',
  },
  clientsFile: {
    env: 'HUB_CLIENTS_FILE',
    parser: readableFile,
    unsetMeans: '(unset)',
    help: 'YAML or JSON file of the clients: API keys (SHA-256), certificate subjects, token client ids, with roles, topic scopes and quotas; a bad file stops the start',
  },
  oidcIssuer: {
    env: 'HUB_OIDC_ISSUER',
    parser: exactHttpUrl,
    unsetMeans: '(unset: no tokens)',
    help: 'OAuth2 / OpenID Connect issuer whose bearer tokens (JWT) are accepted, exactly as their iss (keys from its discovery document); needs HUB_OIDC_AUDIENCE',
  },
  oidcAudience: { env: 'HUB_OIDC_AUDIENCE', parser: text, unsetMeans: '(unset)', help: "The audience a token's aud must hold (with HUB_OIDC_ISSUER)" },
  oidcClientId: {
    env: 'HUB_OIDC_CLIENT_ID',
    parser: text,
    unsetMeans: '(the audience)',
    help: 'The client whose resource_access.<client>.roles count as hub roles (beside realm_access.roles and scope)',
  },
  tlsCert: { env: 'HUB_TLS_CERT', parser: readableFile, unsetMeans: '(unset: HTTP)', help: "PEM file of the hub's certificate (chain); with HUB_TLS_KEY the hub serves HTTPS" },
  tlsKey: { env: 'HUB_TLS_KEY', parser: readableFile, unsetMeans: '(unset)', help: "PEM file of the hub's private key (with HUB_TLS_CERT)" },
  tlsClientCa: {
    env: 'HUB_TLS_CLIENT_CA',
    parser: readableFile,
    unsetMeans: '(unset: no client certificates)',
    help: 'PEM file of the CAs that sign client certificates; set, the hub asks TLS clients for one (needs HUB_TLS_CERT)',
  },
  tlsClientCert: {
    env: 'HUB_TLS_CLIENT_CERT',
    parser: oneOf(TLS_CLIENT_CERT_MODES),
    unsetMeans: '(optional)',
    help: 'With HUB_TLS_CLIENT_CA: required refuses a client without a verified certificate at the handshake; optional lets it use another credential',
  },
  publicDocs: {
    env: 'HUB_PUBLIC_DOCS',
    parser: boolean,
    fallback: true,
    help: 'false: /docs, /openapi.json and /asyncapi.json need a credential too when access control is on',
  },
};

/** The access settings that only make sense together: the first that is missing its partner, as [variable, problem]. */
export function accessCombinationProblem(config: Pick<Config, AccessKey>): [variable: string, problem: string] | undefined {
  const { oidcIssuer, oidcAudience, oidcClientId, tlsCert, tlsKey, tlsClientCa, tlsClientCert } = ACCESS_CONFIG_TABLE;
  if (config.oidcIssuer && !config.oidcAudience) {
    return [oidcAudience.env, `is required with ${oidcIssuer.env}: without it a token the issuer made for any other client would be accepted`];
  }
  if (!config.oidcIssuer) {
    const stray = config.oidcAudience ? oidcAudience : config.oidcClientId ? oidcClientId : undefined;
    if (stray) return [stray.env, `has no effect without ${oidcIssuer.env}`];
  }
  if (Boolean(config.tlsCert) !== Boolean(config.tlsKey)) {
    const [given, missing] = config.tlsCert ? [tlsCert, tlsKey] : [tlsKey, tlsCert];
    return [given.env, `needs ${missing.env}: HTTPS takes the certificate and its key`];
  }
  if (config.tlsClientCa && !config.tlsCert) return [tlsClientCa.env, `needs ${tlsCert.env} and ${tlsKey.env}: client certificates come over HTTPS`];
  if (config.tlsClientCert && !config.tlsClientCa) return [tlsClientCert.env, `has no effect without ${tlsClientCa.env}`];
  return undefined;
}
