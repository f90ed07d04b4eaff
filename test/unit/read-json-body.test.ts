import { PassThrough } from 'node:stream';
import type { Context } from 'koa';
import { readJsonBody } from '../../src/http/read-json-body';

/** A Koa context around a request stream that the test writes to. */
function contextOf(stream: PassThrough, type = 'application/json'): Context {
  return { request: { type }, get: () => '', req: stream } as unknown as Context;
}

describe('readJsonBody, reading the stream', () => {
  it('joins the chunks of a body that comes in several', async () => {
    const req = new PassThrough();
    const read = readJsonBody(contextOf(req), 100);
    req.write('{"a":');
    req.write('[1,2]}');
    req.end();
    await expect(read).resolves.toEqual({ a: [1, 2] });
  });

  it('refuses with 413 once the bytes pass the limit, without a Content-Length, and destroys the request', async () => {
    const req = new PassThrough();
    const read = readJsonBody(contextOf(req), 10);
    req.write('{"a":"123');
    req.write('456789"}');
    await expect(read).rejects.toMatchObject({ status: 413, code: 'PayloadTooLarge' });
    expect(req.destroyed).toBe(true);
  });

  it("fails with the stream's own error", async () => {
    const req = new PassThrough();
    const read = readJsonBody(contextOf(req), 100);
    req.write('{"a"');
    req.destroy(new Error('aborted'));
    await expect(read).rejects.toThrow('aborted');
  });

  it('fails with a premature close when the request closes before its end', async () => {
    const req = new PassThrough();
    const read = readJsonBody(contextOf(req), 100);
    req.write('{"a"');
    req.destroy();
    await expect(read).rejects.toMatchObject({ message: 'Premature close', code: 'ERR_STREAM_PREMATURE_CLOSE' });
  });

  it('fails with a premature close for a request already destroyed', async () => {
    const req = new PassThrough();
    req.destroy();
    await expect(readJsonBody(contextOf(req), 100)).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
  });

  it('reads a request already read to its end as no body', async () => {
    const req = new PassThrough();
    req.end('{}');
    req.resume();
    await new Promise((resolve) => req.once('end', resolve));
    await expect(readJsonBody(contextOf(req), 100)).resolves.toBeUndefined();
  });
});
