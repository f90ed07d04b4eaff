import { createMemoryStores } from '../../src/store/memory/create-memory-stores';
import { describeDeliveryStoreContract } from './delivery-store-contract';

describeDeliveryStoreContract('memory', async () => ({ stores: createMemoryStores(), cleanup: async () => {} }));
