import type { Resource } from '../store/store-types';

const seg = encodeURIComponent;

/** Absolute hrefs of every resource, under the API base the client used (or HUB_PUBLIC_URL). */
export const links = {
  topic: (base: string, id: string) => `${base}/topic/${seg(id)}`,
  event: (base: string, topicId: string, id: string) => `${base}/topic/${seg(topicId)}/event/${seg(id)}`,
  hub: (base: string, topicId: string, id: string) => `${base}/topic/${seg(topicId)}/hub/${seg(id)}`,
  listener: (base: string, id: string) => `${base}/hub/${seg(id)}`,
  auditRecord: (base: string, id: string) => `${base}/auditRecord/${seg(id)}`,
};

/** The representation as returned and delivered: id and href first, then the stored attributes. */
export function withHref(resource: Resource, href: string): Record<string, unknown> {
  const { id, ...rest } = resource;
  return { id, href, ...rest };
}
