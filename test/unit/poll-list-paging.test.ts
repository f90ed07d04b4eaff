import { DEFAULT_PAGE_SIZE, nextPage, pageSize, pageUrl, readPollBody, totalCount, type PageRead } from '../../src/poll/list-paging';

describe('list paging', () => {
  it.each<[string, string, number]>([
    ['no limit: the TMF default', 'http://api/productOrder', DEFAULT_PAGE_SIZE],
    ['the URL’s own limit', 'http://api/productOrder?limit=250', 250],
    ['a zero limit: the default', 'http://api/productOrder?limit=0', DEFAULT_PAGE_SIZE],
    ['a limit that is not a number: the default', 'http://api/productOrder?limit=all', DEFAULT_PAGE_SIZE],
    ['a limit too large: the default', 'http://api/productOrder?limit=10000000', DEFAULT_PAGE_SIZE],
  ])('should take the page size from %s', (_case, url, size) => {
    expect(pageSize(url)).toBe(size);
  });

  it.each<[string, string, number, number, string]>([
    ['a bare URL', 'http://api/productOrder', 0, 100, 'http://api/productOrder?offset=0&limit=100'],
    ['a URL with a filter, kept', 'http://api/productOrder?state=completed&fields=id,state', 200, 100, 'http://api/productOrder?state=completed&fields=id%2Cstate&offset=200&limit=100'],
    ['a URL with its own offset and limit, replaced', 'http://api/productOrder?limit=50&offset=7', 50, 50, 'http://api/productOrder?limit=50&offset=50'],
  ])('should write the page URL of %s', (_case, url, offset, limit, page) => {
    expect(pageUrl(url, offset, limit)).toBe(page);
  });

  it.each<[string, string | null | undefined, number | undefined]>([
    ['a count', '10000', 10000],
    ['a count with spaces', ' 3 ', 3],
    ['zero', '0', 0],
    ['absent', null, undefined],
    ['undefined', undefined, undefined],
    ['negative', '-1', undefined],
    ['not a number', 'many', undefined],
    ['a fraction', '1.5', undefined],
  ])('should read X-Total-Count: %s', (_case, header, count) => {
    expect(totalCount(header)).toBe(count);
  });

  it.each<[string, PageRead, ReturnType<typeof nextPage>]>([
    ['a full page, no total: read on', { offset: 0, limit: 100, received: 100 }, 100],
    ['a short page, no total: done', { offset: 100, limit: 100, received: 40 }, 'done'],
    ['an empty page, no total: done', { offset: 200, limit: 100, received: 0 }, 'done'],
    ['a full page below the total: read on', { offset: 0, limit: 100, received: 100, total: 250 }, 100],
    ['a short page below the total (a server capping limit): read on', { offset: 0, limit: 100, received: 50, total: 250 }, 50],
    ['the page that reaches the total: done', { offset: 200, limit: 100, received: 50, total: 250 }, 'done'],
    ['an empty page below the total (the list shrank): done', { offset: 200, limit: 100, received: 0, total: 250 }, 'done'],
    ['past the most resources: refused', { offset: 900, limit: 100, received: 100 }, { refused: 'the list holds more than HUB_POLL_MAX_RESOURCES (1000) resources' }],
    ['exactly the most resources, then a short page: done', { offset: 1000, limit: 100, received: 0 }, 'done'],
  ])('should decide on %s', (_case, page, next) => {
    expect(nextPage(page, 1000)).toEqual(next);
  });

  it.each<[string, string, ReturnType<typeof readPollBody>]>([
    ['a list', '[{"id":"1"},{"id":"2"}]', { items: [{ id: '1' }, { id: '2' }], list: true }],
    ['an empty list', '[]', { items: [], list: true }],
    ['a single resource', '{"id":"1","state":"completed"}', { items: [{ id: '1', state: 'completed' }], list: false }],
    ['a number', '42', 'the body is neither a JSON array (a TMF list) nor a JSON object (a resource)'],
    ['null', 'null', 'the body is neither a JSON array (a TMF list) nor a JSON object (a resource)'],
  ])('should read a body of %s', (_case, text, read) => {
    expect(readPollBody(text)).toEqual(read);
  });

  it('should say why a body that is not JSON is refused', () => {
    expect(readPollBody('<html>down</html>')).toMatch(/^the body is not JSON: /);
  });
});
