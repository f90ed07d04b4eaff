/** Why a credential was refused, as the 401's WWW-Authenticate says it; never the credential. */
export interface TokenFailure {
  /**
   * invalid: the token is not acceptable (401, error="invalid_token"). unavailable: it could not be
   * checked because the issuer's discovery document or keys could not be fetched (the wiring may
   * answer 503 with Retry-After: nothing is wrong with the client's token as far as the hub knows).
   */
  kind: 'invalid' | 'unavailable';
  /** Safe to send: a fixed sentence for error_description and the TMF Error's message. */
  description: string;
}

export const REALM = 'tmf688-hub';

/** Printable ASCII without quote and backslash: what a quoted-string may hold without escapes. */
const quotable = (text: string) => text.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, '');

/**
 * The WWW-Authenticate value of a 401 (RFC 6750): the realm alone when no token was sent, with
 * error="invalid_token" and the reason when one was refused.
 */
export function bearerChallenge(failure?: TokenFailure): string {
  if (!failure) return `Bearer realm="${REALM}"`;
  return `Bearer realm="${REALM}", error="invalid_token", error_description="${quotable(failure.description)}"`;
}
