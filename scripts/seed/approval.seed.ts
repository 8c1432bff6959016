import type { Actor } from '../../server/src/access/actor.js';
import { transferTask } from '../../server/src/modules/approval/approval.actions.js';
import { commentOnApproval } from '../../server/src/modules/approval/approval.followups.js';
import { defaultReminderSettings, reminderSettingsKey } from '../../server/src/modules/approval/approval.jobs.js';
import { listPendingTasksForUser } from '../../server/src/modules/approval/approval.service.js';
import { loadActor } from '../../server/src/modules/org/org.service.js';
import { putSetting } from '../../server/src/modules/settings/settings.service.js';
import type { DemoSeedContext, DemoSeedStep } from './demo-data.js';

/**
 * Approval extras of the demo, run after the contracts and quotes have started their approvals: the
 * reminder setting written out so the admin sees it, a question and its answer on one approval, and one
 * task handed from a traveling leader to the head of distribution, so the history shows those actions.
 * Approval templates themselves come from a migration, because production needs them too.
 */

const hourMs = 3_600_000;

async function actorOf(context: DemoSeedContext, userid: string): Promise<Actor | undefined> {
  const id = context.userIds.get(userid);
  return id === undefined ? undefined : loadActor(context.db, id);
}

export const approvalSeedStep: DemoSeedStep = {
  name: 'approvals',
  async run(context) {
    await putSetting(context.db, reminderSettingsKey, defaultReminderSettings, null, context.now);

    const leader = await actorOf(context, 'wanglei01');
    if (leader) {
      const waiting = await listPendingTasksForUser(context.db, leader.id, 10);
      const first = waiting.items.find((item) => item.templateCode === 'sales_contract' && item.hasSpecialDiscount) ?? waiting.items[0];
      const submitter = first ? await loadActor(context.db, first.submitter.id) : undefined;
      if (first && submitter) {
        await commentOnApproval(context.db, leader, first.approvalId, { comment: '第一行特价幅度较大，客户是否同意首批到货后 30 天内付清首款？' }, new Date(context.now.getTime() - 5 * hourMs));
        await commentOnApproval(context.db, submitter, first.approvalId, { comment: '已与客户采购部确认，首款按合同约定 30 天内付清，对方已回邮件。' }, new Date(context.now.getTime() - 4 * hourMs));
      }
    }

    const traveling = await actorOf(context, 'yangfan01');
    const distributionHead = await actorOf(context, 'zhoujianhua01');
    if (traveling && distributionHead) {
      const waiting = await listPendingTasksForUser(context.db, traveling.id, 10);
      const item = waiting.items.find((candidate) => candidate.templateCode === 'contract_void') ?? waiting.items[0];
      if (item) {
        await transferTask(context.db, traveling, item.approvalId, { toUserId: distributionHead.id, comment: '本周在成都参加书展，请周主任代为审批' }, new Date(context.now.getTime() - hourMs));
      }
    }
  },
};
