import type { Config } from '../config';
import { Authenticator } from './authenticator';
import { ClientDirectory } from './client-directory';
import { apiKeyClients, readClientsFile } from './clients-file';
import type { OidcVerifier } from './oidc-verifier';

export type AccessConfig = Pick<Config, 'apiKeys' | 'clientsFile' | 'oidcIssuer' | 'oidcAudience' | 'oidcClientId' | 'tlsClientCa'>;

/** The access control of one hub process, built from its configuration. */
export interface Access {
  authenticator: Authenticator;
  directory: ClientDirectory;
  /** Present with HUB_OIDC_ISSUER. */
  verifier?: OidcVerifier;
  /** None of the credential sources is configured: every request is the open principal. */
  open: boolean;
  /** For the log at start (a plain `key:` in the clients file); none holds a key. */
  warnings: string[];
  /** Some client has a publishPerSecond quota: the processes then count each other (they share it). */
  publishQuotas: boolean;
}

/**
 * Reads HUB_CLIENTS_FILE (throws ClientsFileError naming the entry and the field), adds the
 * HUB_API_KEYS admins, and sets up the token verifier. Fetches nothing: the verifier's keys are
 * fetched on the first token (warm() fetches them at start). The verifier, and with it the JWT
 * library, is loaded only when HUB_OIDC_ISSUER is set.
 */
export async function createAccess(config: AccessConfig, onProblem: (message: string) => void = () => undefined): Promise<Access> {
  const file = config.clientsFile ? readClientsFile(config.clientsFile) : { clients: [], warnings: [] };
  const directory = new ClientDirectory([...file.clients, ...apiKeyClients(config.apiKeys)]);
  const verifier =
    config.oidcIssuer && config.oidcAudience
      ? new (await import('./oidc-verifier')).OidcVerifier({
          issuer: config.oidcIssuer,
          audience: config.oidcAudience,
          clientId: config.oidcClientId,
          entryOf: (azp) => directory.byOidcClientId(azp),
          onProblem,
        })
      : undefined;
  const open = !config.clientsFile && config.apiKeys.length === 0 && !config.oidcIssuer && !config.tlsClientCa;
  return {
    authenticator: new Authenticator({ open, directory, verifier, certificates: Boolean(config.tlsClientCa) }),
    directory,
    verifier,
    open,
    warnings: file.warnings,
    publishQuotas: directory.entries.some((entry) => entry.quota.publishPerSecond !== undefined),
  };
}
