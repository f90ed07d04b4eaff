// A loopback OAuth2 token endpoint for the bench (the client-credentials grant): any client gets an
// opaque token valid for an hour, so a hub's tokens stay cached through a run. It counts the
// grants, which shows the cache at work (one per hub, not one per delivery).
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

export async function startTokenEndpoint() {
  let grants = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      grants++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: randomBytes(24).toString('base64url'), token_type: 'Bearer', expires_in: 3600 }));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/token`,
    grants: () => grants,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
