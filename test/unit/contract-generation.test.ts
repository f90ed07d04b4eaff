import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPENAPI_FILE, PROJECT_ROOT } from '../../src/paths';

const GENERATOR = join(PROJECT_ROOT, 'openapi', 'build-from-swagger.mjs');
const OFFICIAL = join(PROJECT_ROOT, 'openapi', 'TMF688-Event-v4.0.0.swagger.json');

/**
 * The contract the hub serves is generated from the official TMF688 file kept in the repository
 * (openapi/README.md): a hand edit of the output, or a generator change not regenerated, would make
 * the documented deviations and the served contract drift apart.
 */
describe('the bundled contract (openapi/tmf688-event.oas3.json)', () => {
  it('should be exactly what the generator makes of the official TMF688 v4.0.0 file', () => {
    const generated = execFileSync(process.execPath, [GENERATOR, OFFICIAL, '--stdout'], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    expect(generated).toBe(readFileSync(OPENAPI_FILE, 'utf8'));
  });

  it('should be generated from the official file itself, which describes TMF688 v4.0.0 at /tmf-api/event/v4/', () => {
    const official = JSON.parse(readFileSync(OFFICIAL, 'utf8'));
    expect(official.swagger).toBe('2.0');
    expect(official.info.version).toBe('4.0.0');
    expect(official.basePath).toBe('/tmf-api/event/v4/');
  });
});
