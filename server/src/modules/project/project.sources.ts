import type { Actor } from '../../access/actor.js';
import type { DbExecutor } from '../../db/database.js';
import { findBookByIsbn } from '../book/book.service.js';
import { getVisibleCustomerOrThrow } from '../customer/customer.service.js';
import { getVisibleOpportunityOrThrow } from '../opportunity/opportunity.service.js';
import { badRequest } from '../../http/app-error.js';

/**
 * What the project module reads from other modules, in one place: each function calls the owning
 * module's service, so the project code never touches another module's tables.
 */

export interface CustomerRef {
  id: number;
  name: string;
  type: string;
}

/** A customer the actor may see (404 otherwise); pool customers are allowed, since a tender may start before anyone owns the library. */
export async function getCustomerForProject(db: DbExecutor, actor: Actor, customerId: number): Promise<CustomerRef> {
  const customer = await getVisibleCustomerOrThrow(db, actor, customerId, { allowPool: true });
  return { id: customer.id, name: customer.name, type: customer.type };
}

export interface CatalogMatch {
  id: number;
  title: string;
  listPriceFen: number;
}

/** Catalog entries for ISBN-13s; ISBNs not in the catalog are absent from the map. */
export async function findCatalogBooks(db: DbExecutor, isbns: readonly string[]): Promise<Map<string, CatalogMatch>> {
  const matches = new Map<string, CatalogMatch>();
  for (const isbn of new Set(isbns)) {
    const book = await findBookByIsbn(db, isbn);
    if (book) matches.set(isbn, { id: book.id, title: book.title, listPriceFen: book.listPriceFen });
  }
  return matches;
}

export interface OpportunityRef {
  id: number;
  name: string;
  customerId: number;
}

/** An opportunity the actor may see (404 otherwise), to start a project from. */
export async function getOpportunityForProject(db: DbExecutor, actor: Actor, opportunityId: number): Promise<OpportunityRef> {
  const row = await getVisibleOpportunityOrThrow(db, actor, opportunityId);
  return { id: row.id, name: row.name, customerId: row.customer_id };
}

export interface LinkedRecord {
  title: string;
  occurredAt: string;
}

/** Title and time of a record to link to a project, read through its module with the actor's access (404 when out of scope). */
export async function resolveLinkedRecord(_db: DbExecutor, _actor: Actor, refType: string, _refId: number): Promise<LinkedRecord> {
  // NOTE: each record type resolves once its module exposes a read function; until then linking it is refused.
  throw badRequest('link_type_unavailable', `暂不支持关联此类记录（${refType}）：对应模块尚未启用`);
}
