import type { ListenerCredentials } from '../credentials/listener-credentials';
import { BadRequestError } from '../errors';

/** What a listener answered to the validation request, or why there was no answer. */
export interface HandshakeAnswer {
  status?: number;
  /** Response headers by lower-case name. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The first bytes of the answer body. */
  body?: string;
  error?: string;
}

/** Sends the validation request (the composition root hands over the delivery client, with its callback guard). */
export interface HandshakeProbe {
  /** With the credentials the listener requires, as every delivery will carry them. */
  options(url: string, headers: Record<string, string>, credentials?: ListenerCredentials): Promise<HandshakeAnswer>;
}

export interface HandshakeRequest {
  callback: string;
  /** WebHook-Request-Origin: the host name this hub delivers from. */
  origin: string;
  /** WebHook-Request-Rate: notifications per minute the hub asks to send. */
  requestRate: number;
  /** What the listener requires of every request (auth, client certificate, headers). */
  credentials?: ListenerCredentials;
}

export type HandshakeVerdict =
  | { consent: true; rateLimit?: { perSecond: number } }
  | { consent: false; reason: string };

/**
 * The CloudEvents webhook validation handshake (CloudEvents HTTP webhook spec, section 4): the
 * listener consents only with a 2xx answer carrying WebHook-Allowed-Origin equal to our origin or
 * `*`. WebHook-Allowed-Rate (per minute; `*` means no limit) becomes the hub's rate limit.
 */
export function handshakeVerdict(answer: HandshakeAnswer, origin: string): HandshakeVerdict {
  if (answer.status === undefined) return { consent: false, reason: `no answer (${answer.error ?? 'no response'})` };
  const allowed = answer.headers['webhook-allowed-origin']?.trim();
  const said = describeAnswer(answer);
  if (answer.status < 200 || answer.status > 299) return { consent: false, reason: `it answered ${said}` };
  if (allowed === undefined) return { consent: false, reason: `it answered ${said}, without WebHook-Allowed-Origin` };
  if (allowed !== '*' && allowed.toLowerCase() !== origin.toLowerCase()) {
    return { consent: false, reason: `it answered ${said}; WebHook-Allowed-Origin must be ${JSON.stringify(origin)} or "*"` };
  }
  const rate = answer.headers['webhook-allowed-rate']?.trim();
  const perMinute = rate && /^[1-9][0-9]{0,8}$/.test(rate) ? Number(rate) : undefined;
  return perMinute === undefined ? { consent: true } : { consent: true, rateLimit: { perSecond: perMinute / 60 } };
}

/** Runs the handshake; a refusal is the 400 of the create request, quoting what the listener answered. */
export async function runHandshake(probe: HandshakeProbe, request: HandshakeRequest): Promise<{ rateLimit?: { perSecond: number } }> {
  const answer = await probe.options(request.callback, {
    'WebHook-Request-Origin': request.origin,
    'WebHook-Request-Rate': String(request.requestRate),
  }, request.credentials);
  const verdict = handshakeVerdict(answer, request.origin);
  if (!verdict.consent) {
    throw new BadRequestError(
      `callback: the listener did not consent to deliveries (CloudEvents webhook validation, OPTIONS ${request.callback}): ${verdict.reason}`,
      'Callback validation failed',
    );
  }
  return verdict.rateLimit ? { rateLimit: verdict.rateLimit } : {};
}

const QUOTED_HEADERS = ['webhook-allowed-origin', 'webhook-allowed-rate', 'allow'];
const QUOTED_BODY = 200;

function describeAnswer(answer: HandshakeAnswer): string {
  const headers = QUOTED_HEADERS.flatMap((name) => (answer.headers[name] === undefined ? [] : [`${name}: ${JSON.stringify(answer.headers[name])}`]));
  const body = answer.body?.trim() ? ` body ${JSON.stringify(answer.body.trim().slice(0, QUOTED_BODY))}` : '';
  return `${answer.status}${headers.length ? ` (${headers.join(', ')})` : ''}${body}`;
}
