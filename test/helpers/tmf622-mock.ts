import type { Reply } from './test-receiver';
import { TestReceiver } from './test-receiver';

export const PRODUCT_ORDER_PATH = '/tmf-api/productOrderingManagement/v4/productOrder';

/** A TMF622 productOrder as the mock lists it. */
export const productOrder = (id: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  id,
  href: `http://orders.example${PRODUCT_ORDER_PATH}/${id}`,
  '@type': 'ProductOrder',
  state: 'acknowledged',
  priority: '4',
  productOrderItem: [{ id: '1', action: 'add', quantity: 1 }],
  ...extra,
});

/**
 * A small TMF622 Product Ordering API on the loopback: GET of the productOrder list with TMF630 paging
 * (offset, limit, X-Total-Count) over `orders`, which the test changes between polls. `fail` makes
 * every answer that instead (a 500, a body that is not JSON, ...); `totalCount` false leaves the
 * header out (paging then ends on a short page).
 */
export class Tmf622Mock {
  orders: Array<Record<string, unknown>> = [];
  fail?: Reply;
  totalCount = true;
  /** Whether a request's Authorization is accepted (a protected API answers 401 otherwise); every one by default. */
  authorize: (authorization: string | undefined) => boolean = () => true;

  private constructor(readonly receiver: TestReceiver) {}

  static async start(): Promise<Tmf622Mock> {
    const receiver = await TestReceiver.start();
    const mock = new Tmf622Mock(receiver);
    receiver.responder = (req) => (mock.authorize(req.headers.authorization) ? mock.answer(req.path) : { status: 401, body: '{"code":"401"}' });
    return mock;
  }

  get url(): string {
    return this.receiver.url(PRODUCT_ORDER_PATH);
  }

  /** How many GETs of the list arrived. */
  get gets(): number {
    return this.receiver.requests.length;
  }

  set(id: string, extra: Record<string, unknown>): void {
    const index = this.orders.findIndex((order) => order.id === id);
    const next = { ...(index >= 0 ? this.orders[index] : productOrder(id)), ...extra };
    if (index >= 0) this.orders[index] = next;
    else this.orders.push(next);
  }

  remove(id: string): void {
    this.orders = this.orders.filter((order) => order.id !== id);
  }

  close(): Promise<void> {
    return this.receiver.close();
  }

  private answer(path: string): Reply {
    if (this.fail) return this.fail;
    const url = new URL(path, 'http://mock');
    if (url.pathname !== PRODUCT_ORDER_PATH) return { status: 404, body: '{"code":"404"}' };
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const limit = Number(url.searchParams.get('limit') ?? 100);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.totalCount) headers['x-total-count'] = String(this.orders.length);
    return { status: 200, headers, body: JSON.stringify(this.orders.slice(offset, offset + limit)) };
  }
}
