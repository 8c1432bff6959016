import type { Opportunity } from '../../shared/src/api/opportunity.js';
import type { QuoteLineInput } from '../../shared/src/api/quote.js';
import type { Actor } from '../../server/src/access/actor.js';
import { addDays, localDate } from '../../server/src/lib/clock.js';
import { approveApproval } from '../../server/src/modules/approval/approval.actions.js';
import { loadStateOrThrow } from '../../server/src/modules/approval/approval.service.js';
import { searchBooks } from '../../server/src/modules/book/book.service.js';
import { listOpportunities } from '../../server/src/modules/opportunity/opportunity.service.js';
import { loadActor } from '../../server/src/modules/org/org.service.js';
import { submitSpecialDiscountApproval } from '../../server/src/modules/quote/quote.approval.js';
import { describeLineDefaults } from '../../server/src/modules/quote/quote.lines.js';
import { findQuoteById } from '../../server/src/modules/quote/quote.repository.js';
import { createQuote, reviseQuote, sendQuote } from '../../server/src/modules/quote/quote.workflow.js';
import type { DemoSeedContext, DemoSeedStep } from './demo-data.js';
import { salesReps } from './opportunity.seed.js';

/**
 * Quotes on the demo opportunities, one of each situation a rep meets: sent at the agreed discount, revised
 * into a second version, a 特殊折扣 waiting for approval (the blocked quote), one approved and sent, one
 * still a draft below the floor, and a library's list of every title on sale.
 */

const dayMs = 86_400_000;

interface Plan {
  /** The quote story this opportunity gets. */
  story: 'sent' | 'revised' | 'special_pending' | 'special_approved' | 'special_draft' | 'library_list';
  opportunity: Opportunity;
  owner: Actor;
}

export const quoteSeedStep: DemoSeedStep = {
  name: 'quotes',
  async run(context) {
    const onSale = (await searchBooks(context.db, { status: 'on_sale', limit: 100, offset: 0 })).items.filter((book) => book.publisher === '江南文艺出版社');
    if (onSale.length === 0) return;

    const plans = await planQuotes(context);
    for (const [index, plan] of plans.entries()) {
      const at = new Date(context.now.getTime() - (6 - (index % 5)) * dayMs);
      const picked = plan.story === 'library_list' ? onSale : pickTitles(onSale, index, 3 + (index % 5));
      const defaults = await describeLineDefaults(context.db, plan.opportunity.customerId, picked.map((book) => book.id), localDate(at, 'Asia/Shanghai'));
      const special = plan.story.startsWith('special_');
      const lines: QuoteLineInput[] = defaults.map((item, position) => ({
        bookId: item.bookId,
        quantity: plan.story === 'library_list' ? 3 + ((position * 7) % 8) : 20 * (1 + ((index + position) % 10)),
        // The first line of a special story goes 5 points below the floor; the rest stay at the default.
        discount: special && position === 0 ? Math.max(0, (item.floorDiscount ?? item.defaultDiscount) - 500) : item.defaultDiscount,
      }));

      const quoteId = await context.db.transaction().execute((trx) =>
        createQuote(trx, plan.owner, { customerId: plan.opportunity.customerId, opportunityId: plan.opportunity.id, validUntil: addDays(localDate(context.now, 'Asia/Shanghai'), 30), notes: noteFor(plan.story), lines }, at),
      );
      await tellStory(context, plan, quoteId, at);
    }
    context.logger.info({ quotes: plans.length }, 'demo quotes created');
  },
};

async function planQuotes(context: DemoSeedContext): Promise<Plan[]> {
  const stories: Plan['story'][] = ['special_pending', 'sent', 'revised', 'special_approved', 'special_draft'];
  const plans: Plan[] = [];
  let libraryPlanned = false;
  for (const [repIndex, userid] of salesReps.entries()) {
    const id = context.userIds.get(userid);
    const owner = id === undefined ? undefined : await loadActor(context.db, id);
    if (!owner) continue;
    const { items } = await listOpportunities(context.db, owner, { status: 'open', sort: 'expected_close_date', ownerId: owner.id, limit: 50, offset: 0 }, context.now);
    const quoting = items.filter((item) => item.stage === 'quoting' || item.stage === 'negotiating');
    for (const [position, opportunity] of quoting.slice(0, 2).entries()) {
      const story = !libraryPlanned && opportunity.kind === 'library_supply' ? 'library_list' : stories[(repIndex + position) % stories.length]!;
      if (story === 'library_list') libraryPlanned = true;
      plans.push({ story, opportunity, owner });
    }
  }
  return plans;
}

async function tellStory(context: DemoSeedContext, plan: Plan, quoteId: number, at: Date): Promise<void> {
  const later = new Date(at.getTime() + dayMs);
  switch (plan.story) {
    case 'sent':
    case 'library_list':
      await context.db.transaction().execute((trx) => sendQuote(trx, plan.owner, quoteId, later));
      return;
    case 'revised':
      await context.db.transaction().execute((trx) => sendQuote(trx, plan.owner, quoteId, later));
      await context.db.transaction().execute((trx) => reviseQuote(trx, plan.owner, quoteId, new Date(later.getTime() + dayMs)));
      return;
    case 'special_pending':
      await context.db.transaction().execute((trx) => submitSpecialDiscountApproval(trx, plan.owner, quoteId, later));
      return;
    case 'special_approved':
      await context.db.transaction().execute((trx) => submitSpecialDiscountApproval(trx, plan.owner, quoteId, later));
      await approveEveryStep(context, quoteId, new Date(later.getTime() + dayMs / 2));
      await context.db.transaction().execute((trx) => sendQuote(trx, plan.owner, quoteId, new Date(later.getTime() + dayMs)));
      return;
    case 'special_draft':
      return;
  }
}

/** Plays each approver of the quote's approval in turn, as the leaders would from DingTalk. */
async function approveEveryStep(context: DemoSeedContext, quoteId: number, at: Date): Promise<void> {
  const quote = await findQuoteById(context.db, quoteId);
  if (!quote?.approval_id) return;
  for (let step = 0; step < 5; step += 1) {
    const state = await loadStateOrThrow(context.db, quote.approval_id);
    if (state.instance.status !== 'pending') return;
    const task = state.tasks.find((item) => item.status === 'pending');
    const approver = task ? await loadActor(context.db, task.assignee_id) : undefined;
    if (!approver) return;
    await approveApproval(context.db, approver, quote.approval_id, { comment: '同意，注意控制特价品种数量' }, new Date(at.getTime() + step * 3_600_000));
  }
}

function pickTitles<T>(books: readonly T[], seed: number, count: number): T[] {
  const picked: T[] = [];
  for (let index = 0; index < count; index += 1) {
    const book = books[(seed * 11 + index * 17) % books.length]!;
    if (!picked.includes(book)) picked.push(book);
  }
  return picked;
}

function noteFor(story: Plan['story']): string | null {
  if (story === 'library_list') return '按馆藏查重后的年度书单报价，复本 3–10 册，含加工费另议';
  if (story.startsWith('special_')) return '首批订货量大，客户要求首行品种按特价供货';
  return null;
}
