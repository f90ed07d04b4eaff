/** How long a discovery or JWKS request may take, and how large its answer may be. */
export interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
}

export const DEFAULT_FETCH_LIMITS: FetchLimits = { timeoutMs: 5000, maxBytes: 1024 * 1024 };

/**
 * GETs a JSON document from the identity provider. Every failure is an Error whose message says
 * what went wrong in one line (for the hub's log): a timeout, a refused connection, a status, an
 * oversized or non-JSON body. Nothing here is sent to a client.
 */
export async function fetchJson(url: string, limits: FetchLimits = DEFAULT_FETCH_LIMITS): Promise<unknown> {
  let response: Response;
  try {
    // No redirects: the documents are read where the issuer (and its discovery document) say.
    response = await fetch(url, { headers: { accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(limits.timeoutMs) });
  } catch (e) {
    const error = e as Error & { cause?: { code?: string; message?: string } };
    const why = error.name === 'TimeoutError' ? `no answer in ${limits.timeoutMs} ms` : (error.cause?.code ?? error.cause?.message ?? error.message);
    throw new Error(`GET ${url} failed: ${why}`);
  }
  const body = await readCapped(response, limits).catch((e: Error) => {
    throw new Error(`GET ${url} failed: ${e.name === 'TimeoutError' ? `no answer in ${limits.timeoutMs} ms` : e.message}`);
  });
  if (!response.ok) throw new Error(`GET ${url} answered HTTP ${response.status}`);
  try {
    return JSON.parse(body);
  } catch {
    throw new Error(`GET ${url} answered something that is not JSON`);
  }
}

async function readCapped(response: Response, limits: FetchLimits): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > limits.maxBytes) {
    await response.body?.cancel();
    throw new Error(`the answer is larger than ${limits.maxBytes} bytes`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += chunk.byteLength;
    if (size > limits.maxBytes) throw new Error(`the answer is larger than ${limits.maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
