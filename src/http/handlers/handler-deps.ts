import type { Services } from '../../hub/create-services';
import type { ListLimits } from '../tmf630';

export interface HandlerDeps {
  services: Services;
  limits: ListLimits;
}
