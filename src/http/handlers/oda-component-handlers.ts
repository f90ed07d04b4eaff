import { withHref } from '../../hub/links';
import { originOf, type ApiRequest, type OperationHandler } from '../api-request';

const odaHref = (req: ApiRequest, name: string) => `${req.baseUrl}/odaComponent/${encodeURIComponent(name)}`;

const context = (req: ApiRequest) => ({ baseUrl: req.baseUrl, origin: originOf(req), actor: req.principal });

/** ODA event wiring (/odaComponent/{name}, docs/oda.md): a Component manifest's topics and hubs. */
export const odaComponentHandlers: Record<string, OperationHandler> = {
  async applyOdaComponent(req, { services }) {
    const { name } = req.params;
    const { created, component, changes } = await services.oda.apply(name, req.body, context(req));
    const href = odaHref(req, name);
    return { status: created ? 201 : 200, body: { ...withHref(component, href), changes }, ...(created ? { headers: { Location: href } } : {}) };
  },
  async retrieveOdaComponent(req, { services }) {
    const { name } = req.params;
    return { status: 200, body: withHref(await services.oda.get(name), odaHref(req, name)) };
  },
  async deleteOdaComponent(req, { services }) {
    await services.oda.delete(req.params.name, context(req));
    return { status: 204 };
  },
};
