import { createMemoryStores } from '../../src/store/memory/create-memory-stores';
import { describeResourceStoreContract } from './resource-store-contract';

describeResourceStoreContract('memory', async () => ({ stores: createMemoryStores(), cleanup: async () => {} }));
