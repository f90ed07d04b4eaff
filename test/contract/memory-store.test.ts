import { memoryStores } from '../helpers/test-stores';
import { describeResourceStoreContract } from './resource-store-contract';

describeResourceStoreContract('memory', async () => ({ stores: memoryStores(), cleanup: async () => {} }));
