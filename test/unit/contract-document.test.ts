import { contractDocument, loadOpenApiDocument, MAX_OFFSET } from '../../src/http/contract-document';

type Parameter = { name: string; in: string; schema?: Record<string, unknown> };

const pagingParameters = (doc: object, name: string): Parameter[] =>
  Object.values((doc as { paths: Record<string, Record<string, { parameters?: Parameter[] }>> }).paths)
    .flatMap((item) => Object.values(item))
    .flatMap((op) => op.parameters ?? [])
    .filter((p) => p.in === 'query' && p.name === name);

/** The document without the schemas and notes of its limit and offset parameters. */
const withoutPaging = (doc: object): unknown =>
  JSON.parse(JSON.stringify(doc), function (this: unknown, key, value) {
    const parameter = this as Partial<Parameter> | undefined;
    if (parameter?.in === 'query' && (parameter.name === 'limit' || parameter.name === 'offset') && (key === 'schema' || key === 'x-tmf688-hub-fix')) return undefined;
    return value;
  });

describe('contractDocument', () => {
  it.each([1, 37, 1000, 50_000])('should declare limit maximum %i and offset 0..2^31-1 on every list operation', (listMaxLimit) => {
    const doc = contractDocument({ listMaxLimit });
    const limits = pagingParameters(doc, 'limit');
    const offsets = pagingParameters(doc, 'offset');
    // listTopic, listEvent, listHub, two delivery logs, the inbox, three /listener lists, the schema registry's
    // types, versions and validation failures, the audit trail, and a topic's latest states.
    expect(limits).toHaveLength(14);
    expect(offsets).toHaveLength(14);
    for (const p of limits) expect(p.schema).toEqual({ type: 'integer', minimum: 0, maximum: listMaxLimit });
    for (const p of offsets) expect(p.schema).toEqual({ type: 'integer', minimum: 0, maximum: MAX_OFFSET });
  });

  it('should change nothing else, and never the bundled document', () => {
    const bundled = loadOpenApiDocument();
    const doc = contractDocument({ listMaxLimit: 37 });
    expect(withoutPaging(doc)).toEqual(withoutPaging(bundled));
    expect(pagingParameters(loadOpenApiDocument(), 'limit').map((p) => p.schema?.maximum)).toEqual(pagingParameters(bundled, 'limit').map(() => 2147483647));
  });
});
