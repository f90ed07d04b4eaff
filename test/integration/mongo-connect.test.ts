import net from 'node:net';
import { createLogger } from '../../src/logger';
import { connectMongo, databaseFromUrl, redactMongoUrl } from '../../src/store/mongo/connect-mongo';

describe('connectMongo', () => {
  it('should retry a bounded number of times, log each failure, and fail naming the redacted URL', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));

    const lines: string[] = [];
    const logger = createLogger('warn', (line) => lines.push(line));
    const url = `mongodb://admin:s3cret@127.0.0.1:${port}/hub?directConnection=true`;
    await expect(connectMongo(url, { timeoutMs: 200, attempts: 3, retryDelayMs: 10 }, logger)).rejects.toThrow(
      `Cannot reach MongoDB at mongodb://admin:***@127.0.0.1:${port}/hub?directConnection=true after 3 attempts`,
    );
    const warnings = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'MongoDB not reachable, retrying');
    expect(warnings.map((w) => w.attempt)).toEqual([1, 2]);
    expect(lines.join('\n')).not.toContain('s3cret');
  });

  it.each([
    ['mongodb://h:27017/hubdb', 'hubdb'],
    ['mongodb://u:p@h1,h2/db2?replicaSet=rs', 'db2'],
    ['mongodb://h:27017', undefined],
    ['mongodb://h:27017/?x=1', undefined],
    ['mongodb+srv://cluster.example/prod', 'prod'],
  ])('databaseFromUrl(%s) should be %s', (url, db) => {
    expect(databaseFromUrl(url)).toBe(db);
  });

  it('redactMongoUrl should hide only the password', () => {
    expect(redactMongoUrl('mongodb://user:pw@h/db')).toBe('mongodb://user:***@h/db');
    expect(redactMongoUrl('mongodb://h/db')).toBe('mongodb://h/db');
  });
});
