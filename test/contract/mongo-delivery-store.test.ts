import { MONGODB_URL, createTestStores } from '../helpers/test-stores';
import { describeDeliveryStoreContract } from './delivery-store-contract';

// The same cases as the embedded store; CI runs the suite a second time with MONGODB_URL set.
if (MONGODB_URL) {
  describeDeliveryStoreContract('mongodb', createTestStores);
} else {
  describe.skip('mongodb delivery store contract (set MONGODB_URL to run)', () => {
    it('runs against MongoDB', () => undefined);
  });
}
