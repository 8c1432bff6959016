import type { ModuleDeps } from './module-deps.js';
import { registerAuthRoutes } from './auth/auth.routes.js';
import { registerCallbackRoutes } from './callbacks/callbacks.routes.js';
import { registerOrgRoutes } from './org/org.routes.js';
import { registerCustomerRoutes } from './customer/customer.module.js';
import { registerVisitRoutes } from './visit/visit.routes.js';
import { registerApprovalRoutes } from './approval/approval.routes.js';
import { registerContractRoutes } from './contract/contract.routes.js';
import { registerProjectRoutes } from './project/project.routes.js';
import { registerTargetRoutes } from './target/target.routes.js';
import { registerBookRoutes } from './book/book.routes.js';
import { registerOpportunityRoutes } from './opportunity/opportunity.routes.js';
import { registerQuoteRoutes } from './quote/quote.routes.js';
import { registerKpiRoutes } from './kpi/kpi.routes.js';
import { registerWorkbenchRoutes } from './workbench/workbench.routes.js';
import { registerReceivableRoutes } from './receivable/receivable.routes.js';

/** Registers every module's routes. Each feature module adds one line here. */
export function registerModules(deps: ModuleDeps): void {
  registerAuthRoutes(deps);
  registerBookRoutes(deps);
  registerOpportunityRoutes(deps);
  registerQuoteRoutes(deps);
  registerOrgRoutes(deps);
  registerCustomerRoutes(deps);
  registerCallbackRoutes(deps);
  registerVisitRoutes(deps);
  registerApprovalRoutes(deps);
  registerContractRoutes(deps);
  registerProjectRoutes(deps);
  registerTargetRoutes(deps);
  registerKpiRoutes(deps);
  registerWorkbenchRoutes(deps);
  registerReceivableRoutes(deps);
}
