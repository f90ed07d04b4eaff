import type { TLSSocket } from 'node:tls';
import type { AuthenticationRefusal } from '../access/authenticator';
import { bearerChallenge } from '../access/bearer-challenge';
import type { VerifiedPeer } from '../access/client-directory';
import { TmfError } from '../errors';

/** How long a client waits when the token issuer could not be reached (the key set's back-off after a failed fetch). */
export const ISSUER_RETRY_AFTER_SECONDS = 5;

/** The credential of an `Authorization: Bearer <credential>` header; undefined when the header has none. */
export const bearerOf = (authorization: string | undefined): string | undefined => /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];

/** The request's TLS connection as a peer whose certificate may be looked up; undefined over plain HTTP. */
export const peerOf = (socket: unknown): VerifiedPeer | undefined => ((socket as Partial<TLSSocket> | undefined)?.encrypted ? (socket as TLSSocket) : undefined);

/**
 * The answer to a request without a principal: 401 with the Bearer challenge (RFC 6750; with
 * error="invalid_token" when a credential was refused), or 503 with Retry-After when a token could
 * not be checked because its issuer is away (nothing is known to be wrong with the client's token).
 * The message is the refusal's fixed sentence: never the credential.
 */
export function authenticationError(refusal: AuthenticationRefusal): TmfError {
  if (refusal.kind === 'unavailable') {
    return new TmfError(503, 'ServiceUnavailable', 'Token issuer unavailable', refusal.description, { 'Retry-After': String(ISSUER_RETRY_AFTER_SECONDS) });
  }
  const challenge = bearerChallenge(refusal.kind === 'invalid' ? refusal : undefined);
  return new TmfError(401, 'Unauthorized', 'Unauthorized', refusal.description, { 'WWW-Authenticate': challenge });
}
