import { releaseTestStores } from './test-stores';

afterAll(releaseTestStores);
