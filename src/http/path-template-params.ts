const PARAMETER = /\{[A-Za-z0-9_-]+\}/g;

/**
 * The path parameters of a request path under one OpenAPI path template, decoded, or null when the
 * path does not fit: compiled once per template, as openapi-backend's validateRequest reads them
 * (bath-es5) on every request. A parameter named twice must have one value.
 */
export function pathTemplateParams(template: string): (path: string) => Record<string, string> | null {
  const names = (template.match(PARAMETER) ?? []).map((name) => name.slice(1, -1));
  const pattern = new RegExp(`^${template.replace(PARAMETER, '([^\\/]*)')}$`);
  return (path) => {
    const found = pattern.exec(path);
    if (!found) return null;
    const params: Record<string, string> = {};
    for (let i = 0; i < names.length; i++) {
      const value = decodeURIComponent(found[i + 1]);
      if (names[i] in params && params[names[i]] !== value) return null;
      params[names[i]] = value;
    }
    return params;
  };
}
