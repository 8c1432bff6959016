import type { Actor } from '../../access/actor.js';
import type { Db, DbExecutor } from '../../db/database.js';
import type { LinkRefType } from '@shared/api/project.js';
import { findBookByIsbn } from '../book/book.service.js';
import { getVisibleCustomerOrThrow } from '../customer/customer.service.js';
import { getVisibleOpportunityOrThrow } from '../opportunity/opportunity.service.js';
import { getApprovalDetail } from '../approval/approval.queries.js';
import { getContractDetail } from '../contract/contract.service.js';
import { getQuoteDetail } from '../quote/quote.service.js';
import { getReceiptDetail } from '../receivable/receipt.service.js';
import { getVisit } from '../visit/visit-query.service.js';

/**
 * Reads from other modules, in one place. Each function calls the owning module's service, so the
 * project code never touches another module's tables.
 */

export interface CustomerRef {
  id: number;
  name: string;
  type: string;
}

/** Loads a customer the actor may see (404 otherwise). Pool customers are allowed, since a tender may start before anyone owns the library. */
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

/** Loads an opportunity the actor may see (404 otherwise), to start a project from. */
export async function getOpportunityForProject(db: DbExecutor, actor: Actor, opportunityId: number): Promise<OpportunityRef> {
  const row = await getVisibleOpportunityOrThrow(db, actor, opportunityId);
  return { id: row.id, name: row.name, customerId: row.customer_id };
}

export interface LinkedRecord {
  title: string;
  occurredAt: string;
}

/**
 * Reads the title and time of a record to link to a project through its module's detail function, with
 * the actor's own access, so a record the actor cannot open throws a 404 here too.
 */
export async function resolveLinkedRecord(db: Db, actor: Actor, refType: LinkRefType, refId: number): Promise<LinkedRecord> {
  switch (refType) {
    case 'opportunity': {
      const opportunity = await getVisibleOpportunityOrThrow(db, actor, refId);
      return { title: opportunity.name, occurredAt: opportunity.created_at };
    }
    case 'visit': {
      const visit = await getVisit(db, actor, refId);
      return { title: `拜访 ${visit.customerName}`, occurredAt: visit.checkIn.at };
    }
    case 'quote': {
      const quote = await getQuoteDetail(db, actor, refId, new Date());
      return { title: `报价单 ${quote.number} · ${quote.customerName}`, occurredAt: quote.createdAt };
    }
    case 'contract': {
      const contract = await getContractDetail(db, actor, refId);
      return { title: `合同 ${contract.number} ${contract.title}`, occurredAt: contract.approvedAt ?? contract.createdAt };
    }
    case 'approval': {
      const approval = await getApprovalDetail(db, actor, refId);
      return { title: `${approval.templateName}：${approval.subject.title}`, occurredAt: approval.submittedAt };
    }
    case 'receipt': {
      const { receipt } = await getReceiptDetail(db, actor, refId, new Date().toISOString().slice(0, 10));
      return { title: `回款 ${receipt.number} · ${receipt.customer.name}`, occurredAt: `${receipt.receivedDate}T00:00:00.000Z` };
    }
  }
}
