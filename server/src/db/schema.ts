import type { CoreTables } from './core.tables.js';
import type { CustomerTables } from '../modules/customer/customer.tables.js';
import type { VisitTables } from '../modules/visit/visit.tables.js';
import type { ApprovalTables } from '../modules/approval/approval.tables.js';
import type { ContractTables } from '../modules/contract/contract.tables.js';
import type { BookTables } from '../modules/book/book.tables.js';
import type { OpportunityTables } from '../modules/opportunity/opportunity.tables.js';
import type { QuoteTables } from '../modules/quote/quote.tables.js';
import type { ReceivableTables } from '../modules/receivable/receivable.tables.js';
import type { ProjectTables } from '../modules/project/project.tables.js';
import type { TargetTables } from '../modules/target/target.tables.js';
import type { KpiTables } from '../modules/kpi/kpi.tables.js';

/**
 * Every table the server knows. Each module keeps its table types in `<module>.tables.ts` and adds its
 * interface to this list, so Kysely checks every query against the real columns.
 */
export interface Database extends CoreTables, CustomerTables, VisitTables, BookTables, OpportunityTables, QuoteTables, ReceivableTables, ApprovalTables, ContractTables, ProjectTables, TargetTables, KpiTables {}
