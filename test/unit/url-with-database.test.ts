import { urlWithDatabase } from '../helpers/url-with-database';

describe('urlWithDatabase (test helper: every hub process gets its own database)', () => {
  it.each([
    ['mongodb://127.0.0.1:27017', 'mongodb://127.0.0.1:27017/fresh'],
    ['mongodb://127.0.0.1:27017/', 'mongodb://127.0.0.1:27017/fresh'],
    ['mongodb://127.0.0.1:27017/anydb', 'mongodb://127.0.0.1:27017/fresh'],
    ['mongodb://h1:1,h2:2/anydb?replicaSet=rs0&directConnection=false', 'mongodb://h1:1,h2:2/fresh?replicaSet=rs0&directConnection=false'],
    ['mongodb://127.0.0.1:27017/?directConnection=true', 'mongodb://127.0.0.1:27017/fresh?directConnection=true'],
    ['mongodb+srv://cluster.example.net/anydb?retryWrites=true', 'mongodb+srv://cluster.example.net/fresh?retryWrites=true'],
  ])('should put the database into %s, keeping hosts and options', (url, expected) => {
    expect(urlWithDatabase(url, 'fresh')).toBe(expected);
  });

  it('should keep the named database as the authSource of credentials in the URL', () => {
    expect(urlWithDatabase('mongodb://u:p%40ss@host/admin', 'fresh')).toBe('mongodb://u:p%40ss@host/fresh?authSource=admin');
    expect(urlWithDatabase('mongodb://u:p@host/app?authSource=other', 'fresh')).toBe('mongodb://u:p@host/fresh?authSource=other');
    expect(urlWithDatabase('mongodb://u:p@host', 'fresh')).toBe('mongodb://u:p@host/fresh');
  });

  it('should refuse what is not a mongodb URL', () => {
    expect(() => urlWithDatabase('localhost:27017', 'fresh')).toThrow('not a mongodb:// URL');
  });
});
