import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadOpenApiDocument } from '../../src/http/contract-document';
import { OPERATION_PERMISSIONS } from '../../src/http/operation-permissions';
import { PROJECT_ROOT } from '../../src/paths';

/** docs/security.md's table of each operation's permission, held to the table the hub enforces and to the contract. */
describe('the permissions table (docs/security.md)', () => {
  const page = readFileSync(join(PROJECT_ROOT, 'docs', 'security.md'), 'utf8');
  const rows = [...page.matchAll(/^\| `([A-Z]+ \/[^`]*)` \| `([A-Za-z]+)` \| `([a-z:]+)` \|$/gm)].map(([, call, operationId, permission]) => ({ call, operationId, permission }));

  it('should show every operation once, with the permission the hub asks for', () => {
    const shown = Object.fromEntries(rows.map((row) => [row.operationId, row.permission]));
    expect(rows).toHaveLength(Object.keys(OPERATION_PERMISSIONS).length);
    expect(shown).toEqual(OPERATION_PERMISSIONS);
  });

  it("should name each operation by the contract's method and path", () => {
    const document = loadOpenApiDocument() as unknown as { paths: Record<string, Record<string, { operationId: string }>> };
    const calls = Object.fromEntries(
      Object.entries(document.paths).flatMap(([path, operations]) => Object.entries(operations).map(([method, op]) => [op.operationId, `${method.toUpperCase()} ${path}`])),
    );
    for (const row of rows) expect([row.operationId, row.call]).toEqual([row.operationId, calls[row.operationId]]);
  });
});
