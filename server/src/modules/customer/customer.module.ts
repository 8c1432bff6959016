import type { ModuleDeps } from '../module-deps.js';
import { registerContactRoutes } from './contact.routes.js';
import { registerCustomerDetailRoutes, registerCustomerProfileRoutes } from './customer.routes.js';
import { registerCustomerFileRoutes } from './customer-file.routes.js';
import { registerDiscountAgreementRoutes } from './discount-agreement.routes.js';
import { registerPoolRoutes, registerPoolStaticRoutes } from './pool.routes.js';

/**
 * Every route of the customer center. Paths without an id ('/customers/duplicate-check',
 * '/customers/collaboration-requests', '/customers/imports'…) go first so '/customers/:id' does not
 * take them.
 */
export function registerCustomerRoutes(deps: ModuleDeps): void {
  registerCustomerProfileRoutes(deps);
  registerPoolStaticRoutes(deps);
  registerCustomerFileRoutes(deps);
  registerCustomerDetailRoutes(deps);
  registerPoolRoutes(deps);
  registerContactRoutes(deps);
  registerDiscountAgreementRoutes(deps);
}
