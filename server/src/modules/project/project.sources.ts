import type { Actor } from '../../access/actor.js';
import type { Db, DbExecutor } from '../../db/database.js';
import { contractListQuerySchema } from '@shared/api/contract.js';
import type { LinkRefType } from '@shared/api/project.js';
import type { LinkCandidateType } from '@shared/api/project-links.js';
import { quoteListQuerySchema, quoteStatusLabels } from '@shared/api/quote.js';
import { contractStatusLabels } from '@shared/contract-rules.js';
import { formatYuan } from '@shared/money.js';
import { visitPurposeLabels } from '@shared/visit-rules.js';
import { findBookByIsbn } from '../book/book.service.js';
import { getVisibleCustomerOrThrow, listCustomerNames } from '../customer/customer.service.js';
import { getVisibleOpportunityOrThrow } from '../opportunity/opportunity.service.js';
import { getApprovalDetail } from '../approval/approval.queries.js';
import { getContractDetail, listContracts } from '../contract/contract.service.js';
import { getQuoteDetail, listQuotes } from '../quote/quote.service.js';
import { getReceiptDetail, listReceiptsForActor } from '../receivable/receipt.service.js';
import { getVisit, listVisits } from '../visit/visit-query.service.js';

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
  /** The record's customer; null for an approval, whose subject carries the customer instead. */
  customerId: number | null;
  customerName: string | null;
}

/**
 * Reads the title, time and customer of a record to link to a project through its module's detail
 * function, with the actor's own access, so a record the actor cannot open throws a 404 here too.
 */
export async function resolveLinkedRecord(db: Db, actor: Actor, refType: LinkRefType, refId: number): Promise<LinkedRecord> {
  switch (refType) {
    case 'opportunity': {
      const opportunity = await getVisibleOpportunityOrThrow(db, actor, refId);
      const names = await listCustomerNames(db, [opportunity.customer_id]);
      return { title: opportunity.name, occurredAt: opportunity.created_at, customerId: opportunity.customer_id, customerName: names.get(opportunity.customer_id) ?? null };
    }
    case 'visit': {
      const visit = await getVisit(db, actor, refId);
      return { title: visitTitle(visit.customerName), occurredAt: visit.checkIn.at, customerId: visit.customerId, customerName: visit.customerName };
    }
    case 'quote': {
      const quote = await getQuoteDetail(db, actor, refId, new Date());
      return { title: quoteTitle(quote.number, quote.customerName), occurredAt: quote.createdAt, customerId: quote.customerId, customerName: quote.customerName };
    }
    case 'contract': {
      const contract = await getContractDetail(db, actor, refId);
      return { title: contractTitle(contract.number, contract.title), occurredAt: contract.approvedAt ?? contract.createdAt, customerId: contract.customer.id, customerName: contract.customer.name };
    }
    case 'approval': {
      const approval = await getApprovalDetail(db, actor, refId);
      return { title: `${approval.templateName}：${approval.subject.title}`, occurredAt: approval.submittedAt, customerId: null, customerName: null };
    }
    case 'receipt': {
      const { receipt } = await getReceiptDetail(db, actor, refId, new Date().toISOString().slice(0, 10));
      return { title: receiptTitle(receipt.number, receipt.customer.name), occurredAt: receiptInstant(receipt.receivedDate), customerId: receipt.customer.id, customerName: receipt.customer.name };
    }
  }
}

const visitTitle = (customerName: string) => `拜访 ${customerName}`;
const quoteTitle = (number: string, customerName: string) => `报价单 ${number} · ${customerName}`;
const contractTitle = (number: string, title: string) => `合同 ${number} ${title}`;
const receiptTitle = (number: string, customerName: string) => `回款 ${number} · ${customerName}`;
/** Receipts carry a calendar date only, and links sort by instant, so the date is stored as midnight UTC. */
const receiptInstant = (receivedDate: string) => `${receivedDate}T00:00:00.000Z`;

export interface LinkCandidateRecord {
  refId: number;
  customerId: number;
  customerName: string;
  title: string;
  detail: string;
  occurredAt: string;
}

/** Records asked for per customer; a project's list shows the newest, so older ones need a search word. */
const candidatesPerCustomer = 20;

/**
 * Lists the visits, quotes, contracts or receipts of one customer that the actor can list in that
 * module (the module applies its own scope), newest first, at most 20. `q` narrows by number, title or
 * payer where the module searches, and by owner or outcome for visits.
 */
export async function listLinkCandidates(db: Db, actor: Actor, refType: LinkCandidateType, customerId: number, q: string | undefined): Promise<{ records: LinkCandidateRecord[]; truncated: boolean }> {
  switch (refType) {
    case 'visit': {
      const page = await listVisits(db, actor, { customerId, limit: q ? 100 : candidatesPerCustomer });
      const matching = page.items.filter((visit) => !q || visit.ownerName.includes(q) || visit.outcome.includes(q));
      const records = matching.slice(0, candidatesPerCustomer).map((visit) => ({
        refId: visit.id,
        customerId: visit.customerId,
        customerName: visit.customerName,
        title: visitTitle(visit.customerName),
        detail: [visit.ownerName, visitPurposeLabels[visit.purpose], visit.outcome.slice(0, 30)].filter(Boolean).join(' · '),
        occurredAt: visit.checkInAt,
      }));
      return { records, truncated: matching.length > candidatesPerCustomer || page.nextBefore !== null };
    }
    case 'quote': {
      const page = await listQuotes(db, actor, quoteListQuerySchema.parse({ customerId, q, limit: candidatesPerCustomer }), new Date());
      const records = page.items.map((quote) => ({
        refId: quote.id,
        customerId: quote.customerId,
        customerName: quote.customerName,
        title: quoteTitle(quote.number, quote.customerName),
        detail: `${quote.ownerName} · ${quoteStatusLabels[quote.status]} · ${formatYuan(quote.netAmountFen)}`,
        occurredAt: quote.createdAt,
      }));
      return { records, truncated: page.total > records.length };
    }
    case 'contract': {
      const page = await listContracts(db, actor, contractListQuerySchema.parse({ customerId, q, limit: candidatesPerCustomer }));
      const records = page.items.map((contract) => ({
        refId: contract.id,
        customerId: contract.customer.id,
        customerName: contract.customer.name,
        title: contractTitle(contract.number, contract.title),
        detail: `${contract.owner.name} · ${contractStatusLabels[contract.status]} · ${formatYuan(contract.totalNetFen)}`,
        occurredAt: contract.updatedAt,
      }));
      return { records, truncated: page.nextBefore !== null };
    }
    case 'receipt': {
      const page = await listReceiptsForActor(db, actor, { customerId, search: q, limit: candidatesPerCustomer, offset: 0 });
      const records = page.items.map((receipt) => ({
        refId: receipt.id,
        customerId: receipt.customer.id,
        customerName: receipt.customer.name,
        title: receiptTitle(receipt.number, receipt.customer.name),
        detail: `${receipt.payerName} · ${formatYuan(receipt.amountFen)}${receipt.status === 'reversed' ? ' · 已冲销' : ''}`,
        occurredAt: receiptInstant(receipt.receivedDate),
      }));
      return { records, truncated: page.total > records.length };
    }
  }
}
