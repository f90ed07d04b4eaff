import { MONGODB_URL, createTestStores } from '../helpers/test-stores';
import { describeAuditStoreContract } from './audit-store-contract';
import { describePollRecordStoreContract } from './poll-record-store-contract';
import { describeResourceStoreContract } from './resource-store-contract';

// The same cases as the embedded store; CI runs the suite a second time with MONGODB_URL set.
if (MONGODB_URL) {
  describeResourceStoreContract('mongodb', createTestStores);
  describeAuditStoreContract('mongodb', createTestStores);
  describePollRecordStoreContract('mongodb', createTestStores);
} else {
  describe.skip('mongodb store contract (set MONGODB_URL to run)', () => {
    it('runs against MongoDB', () => undefined);
  });
}
