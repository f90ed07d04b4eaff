import type { OAuth2Auth } from '../credentials/listener-credentials';

/** What the token endpoint's answer gave: a token and how long it lives (absent when it did not say), or why there is none. */
export type TokenAnswer = { token: string; lifetimeMs?: number } | { error: string };

/** RFC 6749 section 2.3.1: client id and secret are form-encoded before they are put in HTTP Basic. */
const formEncoded = (value: string): string => new URLSearchParams({ v: value }).toString().slice(2);

/** The client-credentials grant request (RFC 6749 section 4.4.2): its headers and form body. */
export function tokenRequest(auth: OAuth2Auth): { headers: Record<string, string>; body: string } {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (auth.scope !== undefined) form.set('scope', auth.scope);
  if (auth.audience !== undefined) form.set('audience', auth.audience);
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
    'user-agent': 'tmf688-hub',
  };
  if (auth.clientAuth === 'body') {
    form.set('client_id', auth.clientId);
    form.set('client_secret', auth.clientSecret);
  } else {
    headers.authorization = `Basic ${Buffer.from(`${formEncoded(auth.clientId)}:${formEncoded(auth.clientSecret)}`).toString('base64')}`;
  }
  return { headers, body: form.toString() };
}

/** An OAuth2 error code (RFC 6749 section 5.2): quoted only when it is one, so an answer echoing a secret is never repeated. */
const ERROR_CODE = /^[a-z][a-z0-9_]{0,63}$/;
const TOKEN = /^[\x21-\x7e]+$/;

/**
 * Reads the token endpoint's answer. The reasons name what went wrong and never quote what the
 * endpoint sent back beyond an error code, nor anything of the request.
 */
export function tokenAnswer(answer: { status: number; body: string } | { error: string }): TokenAnswer {
  if ('error' in answer) return { error: `no OAuth2 token: the token endpoint could not be reached (${answer.error})` };
  let body: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(answer.body);
    body = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    body = undefined;
  }
  if (answer.status < 200 || answer.status > 299) {
    const code = typeof body?.error === 'string' && ERROR_CODE.test(body.error) ? ` (${body.error})` : '';
    return { error: `no OAuth2 token: the token endpoint answered ${answer.status}${code}` };
  }
  if (!body) return { error: 'no OAuth2 token: the token endpoint\'s answer is not a JSON object' };
  const token = body.access_token;
  if (typeof token !== 'string' || !TOKEN.test(token)) return { error: 'no OAuth2 token: the token endpoint\'s answer has no usable access_token' };
  const type = body.token_type;
  if (type !== undefined && (typeof type !== 'string' || type.toLowerCase() !== 'bearer')) {
    const shown = typeof type === 'string' && ERROR_CODE.test(type.toLowerCase()) ? ` "${type}"` : '';
    return { error: `no OAuth2 token: token_type${shown} is not supported (bearer only)` };
  }
  const expiresIn = typeof body.expires_in === 'string' ? Number(body.expires_in) : body.expires_in;
  return typeof expiresIn === 'number' && Number.isFinite(expiresIn) && expiresIn >= 0 ? { token, lifetimeMs: expiresIn * 1000 } : { token };
}
