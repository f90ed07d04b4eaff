import { memoryStores } from '../helpers/test-stores';
import { describeDeliveryStoreContract } from './delivery-store-contract';

describeDeliveryStoreContract('memory', async () => ({ stores: memoryStores(), cleanup: async () => {} }));
