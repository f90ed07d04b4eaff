/**
 * The MongoDB URL with its database path replaced by `dbName`, hosts and options kept. A URL's
 * database also names where its credentials live (the default authSource), so when the URL has
 * credentials and names a database, that database stays the authSource.
 */
export function urlWithDatabase(url: string, dbName: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/)([^/?]+)(?:\/([^?]*))?(?:\?(.*))?$/.exec(url);
  if (!match) throw new Error(`not a mongodb:// URL: ${url}`);
  const [, scheme, authority, database = '', query = ''] = match;
  const options = new URLSearchParams(query);
  if (authority.includes('@') && database !== '' && !options.has('authSource')) options.set('authSource', decodeURIComponent(database));
  const search = options.toString();
  return `${scheme}${authority}/${encodeURIComponent(dbName)}${search ? `?${search}` : ''}`;
}
