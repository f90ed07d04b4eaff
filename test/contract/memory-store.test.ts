import { memoryStores } from '../helpers/test-stores';
import { describeAuditStoreContract } from './audit-store-contract';
import { describePollRecordStoreContract } from './poll-record-store-contract';
import { describeResourceStoreContract } from './resource-store-contract';

const embedded = async () => ({ stores: memoryStores(), cleanup: async () => {} });
describeResourceStoreContract('memory', embedded);
describeAuditStoreContract('memory', embedded);
describePollRecordStoreContract('memory', embedded);
