import type { ODA_CALLBACK_PLACEHOLDERS } from '../config/config-types';
import type { OdaSubscribedEntry } from './oda-manifest';

/** An absolute URL: a scheme, then anything (http(s), or a broker destination such as kafka://). */
const ABSOLUTE = /^[a-z][a-z0-9+.-]*:/i;

/**
 * Where a subscribed entry's events go: an absolute callback as it is; a path (`/listener`) on the
 * component's own service, resolved against `base` (HUB_ODA_CALLBACK_BASE) with {name} and
 * {namespace} from the metadata, {implementation} the entry's service (else the component's name) and
 * {port} the entry's port. Else the reason the entry cannot be wired, as GET shows it.
 */
export function resolveOdaCallback(
  entry: Pick<OdaSubscribedEntry, 'callback' | 'port' | 'implementation'>,
  component: { name: string; namespace: string },
  base: string,
): { url: string } | { reason: string } {
  const { callback } = entry;
  if (callback === undefined) return { reason: 'callback: the entry names no callback to deliver to' };
  if (ABSOLUTE.test(callback)) return { url: callback };
  if (!callback.startsWith('/')) return { reason: `callback: ${JSON.stringify(callback)} is neither an absolute URL nor a path starting with /` };
  if (base.includes('{port}') && entry.port === undefined) {
    return { reason: 'port: the callback is a path on the component\'s service, and HUB_ODA_CALLBACK_BASE needs the entry\'s port' };
  }
  const values: Record<(typeof ODA_CALLBACK_PLACEHOLDERS)[number], string> = {
    name: component.name,
    namespace: component.namespace,
    implementation: entry.implementation ?? component.name,
    port: String(entry.port),
  };
  const origin = base.replace(/\{(name|namespace|implementation|port)\}/g, (_, key: keyof typeof values) => values[key]);
  return { url: `${origin.replace(/\/+$/, '')}${callback}` };
}
