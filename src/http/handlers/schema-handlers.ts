import type { Compatibility } from '../../hub/schema-registry-service';
import { withHref } from '../../hub/links';
import type { Resource } from '../../store/store-types';
import type { ApiRequest, OperationHandler } from '../api-request';
import { fieldsFrom, listQueryFrom, listResult, pageResult } from '../tmf630';
import { projectFields } from '../../query/project-fields';

const seg = encodeURIComponent;
const typeHref = (base: string, eventType: string) => `${base}/schema/${seg(eventType)}`;
const versionHref = (base: string, eventType: string, version: unknown) => `${typeHref(base, eventType)}/${seg(String(version))}`;

/** The query parameter; the contract allows only backward and none. */
const compatibilityOf = (req: ApiRequest): Compatibility =>
  req.queryPairs.find(([key]) => key === 'compatibility')?.[1] === 'none' ? 'none' : 'backward';

/** A list answer's computed attributes: a filter on them could never match a stored value. */
export const COMPUTED_SCHEMA_ATTRIBUTES = {
  listSchemaType: ['latestVersion'],
  listSchemaVersion: ['schema'],
} as const;

/** The event schema registry (/schema) and the validation failures this process saw. */
export const schemaHandlers: Record<string, OperationHandler> = {
  async listSchemaType(req, { services, limits }) {
    const page = await services.schemas.listTypes(listQueryFrom(req, limits));
    return listResult(page, (t) => typeHref(req.baseUrl, t.id));
  },
  async importSchema(req, { services }) {
    return { status: 200, body: await services.schemas.import(req.body, compatibilityOf(req)) };
  },
  async registerSchema(req, { services }) {
    const { eventType } = req.params;
    const { created, version } = await services.schemas.register(eventType, req.body, compatibilityOf(req));
    const href = versionHref(req.baseUrl, eventType, version.version);
    return { status: created ? 201 : 200, body: withHref(version, href), ...(created ? { headers: { Location: href } } : {}) };
  },
  async listSchemaVersion(req, { services, limits }) {
    const { eventType } = req.params;
    const page = await services.schemas.listVersions(eventType, listQueryFrom(req, limits));
    return listResult(page, (v) => versionHref(req.baseUrl, eventType, v.id));
  },
  async deleteSchemaType(req, { services }) {
    await services.schemas.deleteType(req.params.eventType);
    return { status: 204 };
  },
  async retrieveSchema(req, { services }) {
    const { eventType, version } = req.params;
    const found = await services.schemas.get(eventType, version);
    const body = projectFields(withHref(found, versionHref(req.baseUrl, eventType, found.version)) as Resource, fieldsFrom(req));
    return { status: 200, body };
  },
  async listSchemaValidationFailure(req, { services, limits }) {
    const page = services.validation.listFailures(listQueryFrom(req, limits));
    return pageResult(page.items, page.total);
  },
};
