import type { OpportunityKind, OpportunityStage } from '../../shared/src/api/opportunity.js';
import type { Actor } from '../../server/src/access/actor.js';
import { addDays, localDate } from '../../server/src/lib/clock.js';
import { getVisibleCustomerOrThrow, listVisibleCustomerIds, type CustomerSummary } from '../../server/src/modules/customer/customer.service.js';
import { changeOpportunityStage, createOpportunity, recordOpportunityActivity } from '../../server/src/modules/opportunity/opportunity.service.js';
import { findLeaderAbove, loadActor } from '../../server/src/modules/org/org.service.js';
import type { DemoSeedContext, DemoSeedStep } from './demo-data.js';

/**
 * Opportunities of every sales rep on the customers they own, spread over all stages (a funnel with depth),
 * with close dates around this month and quarter, a few lost with reasons, a few won on the manager's
 * confirmation, and some left without activity for weeks so the stale flag has something to show.
 * Written through the opportunity service, so stage history and customer timelines are real.
 */

export const salesReps = [
  'zhangwei01', 'lina01', 'liuyang01', 'wanglei01',
  'sunli01', 'machao01', 'zhaozhiqiang01',
  'hejing01', 'luobin01', 'yangfan01',
  'zhengkai01', 'wuhaiyan01', 'xuting01', 'huangxiaoming01',
];

const stagePath: OpportunityStage[] = ['initial_contact', 'needs_confirmed', 'quoting', 'negotiating'];
/** Final stage of each successive opportunity, repeating so every rep gets a spread. */
const finalStages: OpportunityStage[] = ['quoting', 'initial_contact', 'negotiating', 'needs_confirmed', 'won', 'quoting', 'lost', 'negotiating', 'initial_contact', 'needs_confirmed', 'won', 'quoting'];

const lostReasons = ['客户选择了竞争对手的版本，对方折扣低 3 个点', '学校本学期教材目录调整，不再采购', '预算被压缩，年度采购取消', '平台改为直采，不再通过省级代理'];

interface Idea {
  kind: OpportunityKind;
  name: string;
  /** Expected amount in yuan before the per-opportunity spread. */
  baseYuan: number;
  competitor: string | null;
}

function ideasFor(customer: CustomerSummary): Idea[] {
  const short = customer.shortName ?? customer.name;
  switch (customer.type) {
    case 'school':
      return [
        { kind: 'textbook_subscription', name: `${short} 2026 年秋季教材征订`, baseYuan: 180_000, competitor: '省教育出版社' },
        { kind: 'textbook_subscription', name: `${short} 寒假作业与同步阅读征订`, baseYuan: 45_000, competitor: null },
      ];
    case 'library':
      return [
        { kind: 'library_supply', name: `${short} 年度中文图书馆配`, baseYuan: 260_000, competitor: '湖畔书城馆配中心' },
        { kind: 'library_supply', name: `${short} 地方文献专题采购`, baseYuan: 80_000, competitor: null },
      ];
    case 'online_platform':
      return [
        { kind: 'new_release', name: `${short}《运河人家》新书首发`, baseYuan: 120_000, competitor: null },
        { kind: 'group_purchase', name: `${short} 618 文学专区备货`, baseYuan: 90_000, competitor: '同城文艺出版社' },
      ];
    case 'institution':
    case 'corporate':
      return [{ kind: 'group_purchase', name: `${short} 职工书屋图书采购`, baseYuan: 60_000, competitor: null }];
    default:
      return [
        { kind: 'replenishment', name: `${short} 春季常规补货`, baseYuan: 35_000, competitor: null },
        { kind: 'new_release', name: `${short}「江南风物」系列上架`, baseYuan: 28_000, competitor: null },
      ];
  }
}

async function actorOf(context: DemoSeedContext, userid: string): Promise<Actor | undefined> {
  const id = context.userIds.get(userid);
  return id === undefined ? undefined : loadActor(context.db, id);
}

/** Someone allowed to confirm a win without a contract: the leader above the owner. */
async function confirmerOf(context: DemoSeedContext, owner: Actor): Promise<Actor | undefined> {
  const leader = await findLeaderAbove(context.db, owner.id, 1);
  return leader ? loadActor(context.db, leader.id) : undefined;
}

export const opportunitySeedStep: DemoSeedStep = {
  name: 'opportunities',
  async run(context) {
    const today = localDate(context.now, 'Asia/Shanghai');
    const dayMs = 86_400_000;
    let counter = 0;

    for (const userid of salesReps) {
      const owner = await actorOf(context, userid);
      if (!owner) continue;
      const visible = await listVisibleCustomerIds(context.db, owner);
      const customerIds = visible === 'all' ? [] : visible.slice(0, 5);

      for (const customerId of customerIds) {
        const customer = await getVisibleCustomerOrThrow(context.db, owner, customerId);
        for (const idea of ideasFor(customer)) {
          counter += 1;
          const finalStage = finalStages[counter % finalStages.length]!;
          // Started 20–60 days ago; stale ones get no activity after that.
          const startedAt = new Date(context.now.getTime() - (20 + ((counter * 7) % 40)) * dayMs);
          const id = await createOpportunity(
            context.db,
            owner,
            {
              customerId,
              name: idea.name,
              kind: idea.kind,
              stage: 'initial_contact',
              expectedAmountFen: Math.round(idea.baseYuan * (0.6 + ((counter * 37) % 90) / 100)) * 100,
              expectedCloseDate: addDays(today, ((counter * 13) % 100) - 15),
              competitor: idea.competitor,
              notes: null,
            },
            startedAt,
          );

          const target = finalStage === 'won' ? 'negotiating' : finalStage === 'lost' ? stagePath[1 + (counter % 3)]! : finalStage;
          const steps = stagePath.slice(1, stagePath.indexOf(target as (typeof stagePath)[number]) + 1);
          // Every fifth open one is left alone since its start, so the stale flag has something to show;
          // the others were last worked in the past ten days, each move four days after the one before.
          const stale = counter % 5 === 0 && finalStage !== 'won' && finalStage !== 'lost';
          const closing = finalStage === 'won' || finalStage === 'lost' ? 1 : 0;
          const lastActivity = context.now.getTime() - (1 + (counter % 9)) * dayMs;
          const moves = stale ? [] : steps;
          const firstMove = lastActivity - (moves.length + closing - 1) * 4 * dayMs;
          for (const [position, stage] of moves.entries()) {
            await changeOpportunityStage(context.db, owner, id, { stage, reason: null }, new Date(Math.max(firstMove + position * 4 * dayMs, startedAt.getTime() + dayMs)));
          }
          // A visit or call since the last move keeps a lead that has not moved on from looking stale.
          if (!stale) await recordOpportunityActivity(context.db, id, new Date(lastActivity));
          const closedAt = new Date(Math.max(lastActivity, startedAt.getTime() + 2 * dayMs));
          if (finalStage === 'lost') {
            await changeOpportunityStage(context.db, owner, id, { stage: 'lost', reason: lostReasons[counter % lostReasons.length]! }, closedAt);
          }
          if (finalStage === 'won') {
            const confirmer = await confirmerOf(context, owner);
            if (confirmer) await changeOpportunityStage(context.db, confirmer, id, { stage: 'won', reason: '客户已回传盖章订单，主管确认签约' }, closedAt);
          }
        }
      }
    }
    context.logger.info({ opportunities: counter }, 'demo opportunities created');
  },
};
