/**
 * A broker URL as it may be logged or shown: the password (and a lone user token) replaced by ***.
 * Several comma-separated URLs (NATS servers) are each redacted. Text that is no URL is left as it
 * is: it carries no credentials the hub could know of. Pure.
 */
export function redactUrl(text: string): string {
  return text
    .split(',')
    .map((part) => part.trim().replace(/^([a-z][a-z0-9+.-]*:\/\/)([^@/?#]*)@/i, (_all, scheme: string, userinfo: string) => {
      const colon = userinfo.indexOf(':');
      // nats://token@host: a token alone is a secret; user:password keeps the user.
      return colon < 0 ? `${scheme}***@` : `${scheme}${userinfo.slice(0, colon)}:***@`;
    }))
    .join(',');
}

/**
 * Removes the given secrets from a message (a client library's error text may quote the URL it
 * was given): each non-empty secret, raw and URL-encoded, becomes ***. Pure.
 */
export function redactSecrets(message: string, secrets: readonly (string | undefined)[]): string {
  let text = message;
  for (const secret of secrets) {
    if (!secret) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) text = text.split(form).join('***');
  }
  return text;
}

/** The password (or token) a URL carries in its user info, decoded; undefined when none. Pure. */
export function urlSecrets(text: string): string[] {
  const secrets: string[] = [];
  for (const part of text.split(',')) {
    const match = /^[a-z][a-z0-9+.-]*:\/\/([^@/?#]*)@/i.exec(part.trim());
    if (!match) continue;
    const colon = match[1].indexOf(':');
    const secret = colon < 0 ? match[1] : match[1].slice(colon + 1);
    if (secret) secrets.push(safeDecode(secret));
  }
  return secrets;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
