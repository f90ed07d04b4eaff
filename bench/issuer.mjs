// A loopback OpenID provider for the bench: a discovery document and a JWKS of one RS256 key, and
// tokens signed with it, so the hub verifies real JWTs (HUB_OIDC_ISSUER) without a Keycloak.
import { createServer } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

export async function startIssuer() {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'RS256', use: 'sig' };
  const server = createServer((req, res) => {
    const answer = (body) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.url === '/.well-known/openid-configuration') return answer({ issuer, jwks_uri: `${issuer}/jwks` });
    if (req.url === '/jwks') return answer({ keys: [jwk] });
    res.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;
  return {
    issuer,
    /** An access token for `audience` carrying `roles` (resource_access.<audience>.roles), valid for an hour. */
    token: (audience, azp, roles) =>
      new SignJWT({ azp, resource_access: { [audience]: { roles } } })
        .setProtectedHeader({ alg: 'RS256', kid: 'bench', typ: 'JWT' })
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(privateKey),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
