import type { z } from 'zod';
import type { checkInRequestSchema, saveVisitRequestSchema, Visit } from '@shared/api/visit.js';
import { evaluateCheckInLocation, formatDistance, resolveCheckInTime, toGcj02, visitDurationMinutes, visitPurposeLabels } from '@shared/visit-rules.js';
import type { Actor } from '../../access/actor.js';
import type { Db } from '../../db/database.js';
import { AppError, badRequest } from '../../http/app-error.js';
import { localDate } from '../../lib/clock.js';
import { appendTimeline, getVisibleCustomerOrThrow, listCustomerContactRefs, recordFollowUp, setCustomerLocationIfMissing } from '../customer/customer.service.js';
import { getOwnVisitRowOrThrow } from './visit-access.js';
import { getVisitSettings } from './visit-settings.service.js';
import { getNewVisit, getVisit } from './visit-query.service.js';
import { resolveShelfItems } from './shelf-check.service.js';
import { markPlanVisited } from './visit-plan.service.js';
import { insertVisit, replaceShelfItems, replaceVisitContacts, updateVisit } from './visit.repository.js';

export { countVisits, getVisit, listVisits } from './visit-query.service.js';

type CheckInInput = z.output<typeof checkInRequestSchema>;
type SaveVisitInput = z.output<typeof saveVisitRequestSchema>;

export interface VisitWriteContext {
  db: Db;
  now: Date;
  timeZone: string;
  /** The phone's clock when it sent the request (X-Client-Time header), to date a queued check-in. */
  clientTimeAtSend: string | null;
}

/**
 * Checks the rep in at a customer: decides the distance and flag, dates the check-in, completes today's
 * plan for this customer, moves the customer's last-followed-up time and appends to its timeline, all in
 * one transaction.
 */
export async function checkIn(context: VisitWriteContext, actor: Actor, input: CheckInInput): Promise<Visit> {
  const { db } = context;
  const customer = await getVisibleCustomerOrThrow(db, actor, input.customerId);
  const settings = await getVisitSettings(db);

  const customerLocation = customer.location ? { latitude: customer.location.lat, longitude: customer.location.lng } : null;
  const decision = evaluateCheckInLocation({ device: input.location, customer: customerLocation, radiusM: settings.checkInRadiusM });
  if (decision.flagged && !input.flagReason) throw flagReasonRequired(decision.distanceM, settings.checkInRadiusM);

  const time = resolveCheckInTime({ receivedAt: context.now, tappedAt: input.tappedAt, clientTimeAtSend: context.clientTimeAtSend });
  const checkInDate = localDate(time.at, context.timeZone);
  const setsLocation = input.setCustomerLocation && decision.canSetCustomerLocation && input.location !== null;

  const visitId = await db.transaction().execute(async (trx) => {
    const id = await insertVisit(trx, {
      customer_id: customer.id,
      customer_name: customer.name,
      owner_id: actor.id,
      purpose: input.purpose,
      status: 'checked_in',
      check_in_at: time.at.toISOString(),
      check_in_date: checkInDate,
      received_at: context.now.toISOString(),
      delayed_upload: time.delayed ? 1 : 0,
      latitude: input.location?.latitude ?? null,
      longitude: input.location?.longitude ?? null,
      accuracy_m: input.location?.accuracyMeters ?? null,
      coordinate_system: input.location?.coordinateSystem ?? null,
      address: input.location?.address ?? null,
      location_failure: input.location === null ? input.locationFailure : null,
      distance_m: decision.distanceM,
      radius_m: settings.checkInRadiusM,
      location_status: decision.status,
      flagged: decision.flagged ? 1 : 0,
      flag_reason: decision.flagged ? input.flagReason : null,
      set_customer_location: 0,
      notes: '',
      outcome: '',
      next_step: '',
      created_at: context.now.toISOString(),
      updated_at: context.now.toISOString(),
    });

    const planId = await markPlanVisited(trx, { ownerId: actor.id, customerId: customer.id, planDate: checkInDate, visitId: id, now: context.now });
    const locationSet = setsLocation && input.location !== null && (await setCustomerLocationIfMissing(trx, customer.id, toGcj02(input.location, input.location.coordinateSystem), context.now));
    if (planId !== null || locationSet) await updateVisit(trx, id, { plan_id: planId, set_customer_location: locationSet ? 1 : 0 });

    await recordFollowUp(trx, customer.id, time.at);
    await appendTimeline(trx, {
      customerId: customer.id,
      kind: 'visit',
      refType: 'visit',
      refId: id,
      title: `${actor.name} 拜访签到 · ${visitPurposeLabels[input.purpose]}`,
      summary: checkInSummary(decision.status, decision.distanceM, input.flagReason),
      actorUserId: actor.id,
      occurredAt: time.at,
      dedupKey: `visit:${id}:check-in`,
    });
    return id;
  });

  return getNewVisit(db, actor, visitId);
}

function flagReasonRequired(distanceM: number | null, radiusM: number): AppError {
  if (distanceM === null) return badRequest('flag_reason_required', '没有获取到定位：请填写原因（例如室内信号差）后再签到');
  return badRequest('flag_reason_required', `您距离客户 ${formatDistance(distanceM)}，超出 ${formatDistance(radiusM)}的签到范围：请填写原因后再签到`);
}

function checkInSummary(status: string, distanceM: number | null, reason: string | null): string {
  if (status === 'device_unlocated') return `未获取到定位（原因：${reason ?? '未填写'}）`;
  if (distanceM === null) return '客户尚未标注位置';
  if (status === 'far') return `距门店 ${formatDistance(distanceM)}，超出签到范围（原因：${reason ?? '未填写'}）`;
  return `距门店 ${formatDistance(distanceM)}`;
}

/**
 * Saves what the rep recorded during the visit (replacing contacts and shelf check), and with `checkOut`
 * ends it: check-out time and duration are set once and kept on later saves.
 */
export async function saveVisit(context: VisitWriteContext, actor: Actor, visitId: number, input: SaveVisitInput): Promise<Visit> {
  const { db } = context;
  const visit = await getOwnVisitRowOrThrow(db, actor, visitId, '修改拜访记录');

  if (input.followUpDate !== null && input.followUpDate < visit.check_in_date) {
    throw badRequest('follow_up_date_before_visit', `跟进日期 ${input.followUpDate} 早于拜访日期 ${visit.check_in_date}，请重新选择`);
  }
  await assertContactsBelongToCustomer(db, visit.customer_id, input.contacts);
  const shelfItems = await resolveShelfItems(db, input.shelfChecks);

  const checkOutAt = visit.check_out_at ?? (input.checkOut ? checkOutTime(context, input.tappedAt, visit.check_in_at) : null);
  const followUpChanged = input.followUpDate !== visit.follow_up_date;

  await db.transaction().execute(async (trx) => {
    await updateVisit(trx, visit.id, {
      purpose: input.purpose,
      notes: input.notes,
      outcome: input.outcome,
      next_step: input.nextStep,
      follow_up_date: input.followUpDate,
      follow_up_done_at: followUpChanged ? null : visit.follow_up_done_at,
      status: checkOutAt === null ? 'checked_in' : 'checked_out',
      check_out_at: checkOutAt,
      duration_minutes: checkOutAt === null ? null : visitDurationMinutes(visit.check_in_at, checkOutAt),
      updated_at: context.now.toISOString(),
    });
    await replaceVisitContacts(trx, visit.id, input.contacts);
    await replaceShelfItems(trx, visit.id, shelfItems);

    if (visit.check_out_at === null && checkOutAt !== null) {
      await appendTimeline(trx, {
        customerId: visit.customer_id,
        kind: 'visit',
        refType: 'visit',
        refId: visit.id,
        title: `${actor.name} 拜访结束 · ${visitPurposeLabels[input.purpose]}`,
        summary: visitSummary(input, shelfItems.length),
        actorUserId: actor.id,
        occurredAt: new Date(checkOutAt),
        dedupKey: `visit:${visit.id}:check-out`,
      });
    }
  });

  return getVisit(db, actor, visit.id);
}

/** Server time, or for a check-out the phone queued, the corrected tap time; never before check-in. */
function checkOutTime(context: VisitWriteContext, tappedAt: string | null, checkInAt: string): string {
  const time = resolveCheckInTime({ receivedAt: context.now, tappedAt, clientTimeAtSend: context.clientTimeAtSend });
  return new Date(Math.max(time.at.getTime(), Date.parse(checkInAt))).toISOString();
}

function visitSummary(input: SaveVisitInput, shelfCount: number): string {
  const parts = [
    input.outcome && `结果：${input.outcome}`,
    input.nextStep && `下一步：${input.nextStep}${input.followUpDate ? `（${input.followUpDate}）` : ''}`,
    shelfCount > 0 && `铺货检查 ${shelfCount} 个品种`,
  ];
  return parts.filter(Boolean).join('；') || '已签退';
}

async function assertContactsBelongToCustomer(db: Db, customerId: number, contacts: SaveVisitInput['contacts']): Promise<void> {
  const ids = contacts.map((contact) => contact.contactId).filter((id): id is number => id !== null);
  if (ids.length === 0) return;

  const known = new Set((await listCustomerContactRefs(db, customerId)).map((contact) => contact.id));
  const stranger = ids.find((id) => !known.has(id));
  if (stranger !== undefined) {
    throw badRequest('contact_not_of_customer', `联系人（编号 ${stranger}）不属于该客户：请从该客户的联系人中选择，或直接填写姓名`);
  }
}

/** Marks the follow-up of a visit done, so it leaves the rep's workbench. */
export async function completeFollowUp(context: VisitWriteContext, actor: Actor, visitId: number): Promise<Visit> {
  const visit = await getOwnVisitRowOrThrow(context.db, actor, visitId, '完成跟进');
  if (visit.follow_up_date === null) throw badRequest('no_follow_up', '这次拜访没有设置跟进日期，无需完成跟进');

  if (visit.follow_up_done_at === null) {
    await updateVisit(context.db, visit.id, { follow_up_done_at: context.now.toISOString(), updated_at: context.now.toISOString() });
  }
  return getVisit(context.db, actor, visit.id);
}
