import Koa from 'koa';
import request from 'supertest';
import { errorMiddleware } from '../../src/http/error-middleware';
import { DocumentRefusedError } from '../../src/store/store-errors';

/** An app whose only route throws `err`, behind the error middleware. */
function throwing(err: unknown): Koa {
  const app = new Koa();
  app.use(errorMiddleware());
  app.use(() => {
    throw err;
  });
  return app;
}

describe('errorMiddleware: a document the store refuses', () => {
  it('should answer 400 with a TMF Error carrying the hub’s message and none of the driver’s words', async () => {
    const cause = new Error("BSONError: key a\u0000b must not contain null bytes (MongoServerError at 10.0.0.5:27017)");
    const refused = new DocumentRefusedError('The database cannot store the attribute event."a\\u0000b": its name contains a NUL character', 'event."a\\u0000b"', cause);
    const res = await request(throwing(refused).callback()).post('/x');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      code: 'BadRequest',
      reason: 'Document cannot be stored',
      message: refused.message,
      status: '400',
      '@type': 'Error',
    });
    expect(res.text).not.toMatch(/BSONError|MongoServerError|10\.0\.0\.5/);
  });

  it('should still answer anything unknown with a 500 that says nothing about it', async () => {
    const res = await request(throwing(new Error('secret internals')).callback()).get('/x');
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ code: 'InternalError', status: '500', '@type': 'Error' });
    expect(res.text).not.toContain('secret internals');
  });
});
