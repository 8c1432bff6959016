import { visitPurposeLabels, type VisitPurpose } from '../../shared/src/visit-rules.js';
import { flagReasons, visitNextSteps, visitNotes, visitOutcomes } from './chinese-names.js';
import { dateOf, instantAt, isFieldDay } from './calendar.js';
import type { GenerationContext } from './context.js';
import { WeightedTable } from './random.js';

/**
 * Store visits: every rep visits their own customers on each field day, 3 to 6 times (weighted towards
 * the busy end), checks in near the store (some far or without a fix, flagged with a reason), checks out
 * after 15–90 minutes, and sets follow-ups that are done by their date except the latest few. Plans cover
 * the last month (linked to the visits made) and the next two weeks from the dataset's date on, which has
 * no visits yet.
 */

const RADIUS_M = 500;
const METRES_PER_DEGREE = 111_320;
const visitsPerDay = new WeightedTable([[3, 5], [4, 20], [5, 35], [6, 40]] as const);

/** Purpose by customer type index (see customerTypeCodes). */
const purposeTables: WeightedTable<VisitPurpose>[] = [
  new WeightedTable([['new_title', 30], ['reconciliation', 25], ['collection', 20], ['other', 25]] as const),
  new WeightedTable([['shelf_check', 35], ['new_title', 25], ['collection', 15], ['reconciliation', 15], ['other', 10]] as const),
  new WeightedTable([['shelf_check', 35], ['new_title', 25], ['collection', 15], ['reconciliation', 15], ['other', 10]] as const),
  new WeightedTable([['library_supply', 55], ['new_title', 20], ['collection', 10], ['reconciliation', 10], ['other', 5]] as const),
  new WeightedTable([['subscription', 45], ['new_title', 20], ['collection', 15], ['reconciliation', 10], ['other', 10]] as const),
  new WeightedTable([['new_title', 40], ['subscription', 20], ['collection', 20], ['other', 20]] as const),
  new WeightedTable([['new_title', 50], ['collection', 25], ['other', 25]] as const),
  new WeightedTable([['new_title', 40], ['other', 60]] as const),
];

export function generateVisits(context: GenerationContext): void {
  const random = context.random.fork(5);
  const { customers, catalog, profile } = context;
  const planFromDay = context.asOfDay - 30;
  const shelfFromDay = context.asOfDay - profile.shelfCheckDays;
  const fieldDays: number[] = [];
  for (let day = context.startDay; day < context.asOfDay; day += 1) if (isFieldDay(day)) fieldDays.push(day);

  for (const rep of context.org.reps) {
    const owned = customers.byOwner.get(rep.id);
    if (!owned || owned.length === 0) continue;

    for (const day of fieldDays) {
      const date = dateOf(day);
      const visits = Math.min(visitsPerDay.draw(random), owned.length);
      const seen = new Set<number>();
      let minute = random.int(8 * 60 + 30, 9 * 60 + 30);

      for (let slot = 0; slot < visits; slot += 1) {
        let customerId = random.pick(owned);
        for (let retry = 0; seen.has(customerId) && retry < 5; retry += 1) customerId = random.pick(owned);
        if (seen.has(customerId)) continue;
        seen.add(customerId);

        const visitId = context.nextId('visit');
        const typeIndex = customers.type[customerId]!;
        const purpose = purposeTables[typeIndex]!.draw(random);
        const checkInAt = instantAt(day, minute, random.int(0, 59));
        const durationMinutes = random.int(15, 90);
        const checkOutMinute = minute + durationMinutes;

        // Position: near the store mostly; far or without a fix sometimes, each flagged with a reason.
        const roll = random.next();
        let latitude: number | null = null;
        let longitude: number | null = null;
        let distance: number | null = null;
        let status: string;
        let flagReason: string | null = null;
        if (roll < 0.03) {
          status = 'device_unlocated';
          flagReason = '室内没有定位信号';
        } else {
          const far = roll < 0.1;
          const metres = far ? random.int(600, 5000) : random.int(10, 400);
          const angle = random.next() * 2 * Math.PI;
          const baseLatitude = customers.latitude[customerId]!;
          latitude = baseLatitude + (metres * Math.cos(angle)) / METRES_PER_DEGREE;
          longitude = customers.longitude[customerId]! + (metres * Math.sin(angle)) / (METRES_PER_DEGREE * Math.cos((baseLatitude * Math.PI) / 180));
          if (customers.hasLocation[customerId] === 1) {
            distance = metres;
            status = far ? 'far' : 'near';
            if (far) flagReason = random.pick(flagReasons);
          } else {
            status = 'customer_unlocated';
          }
        }

        const followUp = random.chance(0.2);
        const followUpDay = day + random.int(3, 14);
        const followUpDone = followUp && followUpDay < context.asOfDay && random.chance(0.92);
        const planned = day >= planFromDay && random.chance(0.6);
        let planId: number | null = null;
        if (planned) {
          planId = context.nextId('visit_plan');
          context.insert('visit_plan', {
            id: planId,
            owner_id: rep.id,
            customer_id: customerId,
            customer_name: customers.name[customerId],
            plan_date: date,
            purpose,
            note: '',
            status: 'visited',
            visit_id: visitId,
            created_by: rep.id,
            created_at: instantAt(day - random.int(1, 5), 18 * 60),
            updated_at: checkInAt,
          });
        }

        const notes = random.pick(visitNotes);
        const checkOutAt = instantAt(day, checkOutMinute, random.int(0, 59));
        context.insert('visit', {
          id: visitId,
          customer_id: customerId,
          customer_name: customers.name[customerId],
          owner_id: rep.id,
          purpose,
          status: 'checked_out',
          check_in_at: checkInAt,
          check_in_date: date,
          received_at: checkInAt,
          delayed_upload: 0,
          latitude,
          longitude,
          accuracy_m: latitude === null ? null : random.int(5, 60),
          coordinate_system: latitude === null ? null : 'gcj02',
          address: null,
          location_failure: latitude === null ? 'timeout' : null,
          distance_m: distance,
          radius_m: RADIUS_M,
          location_status: status,
          flagged: flagReason === null ? 0 : 1,
          flag_reason: flagReason,
          set_customer_location: 0,
          plan_id: planId,
          notes,
          outcome: random.pick(visitOutcomes),
          next_step: followUp ? random.pick(visitNextSteps) : '',
          follow_up_date: followUp ? dateOf(followUpDay) : null,
          follow_up_done_at: followUpDone ? instantAt(followUpDay, 16 * 60) : null,
          check_out_at: checkOutAt,
          duration_minutes: durationMinutes,
          created_at: checkInAt,
          updated_at: checkOutAt,
        });

        if (random.chance(0.7)) {
          context.insert('visit_contact', { visit_id: visitId, seq: 1, contact_id: customers.firstContactId[customerId], name: customers.contactName[customerId] });
        }
        if (purpose === 'shelf_check' && day >= shelfFromDay) {
          const items = random.int(3, 8);
          const used = new Set<number>();
          for (let item = 0; item < items; item += 1) {
            const bookId = random.int(1, catalog.count);
            if (used.has(bookId)) continue;
            used.add(bookId);
            const onShelf = random.chance(0.8);
            context.insert('visit_shelf_item', {
              visit_id: visitId,
              isbn: catalog.isbn[bookId],
              book_id: bookId,
              title: catalog.title[bookId],
              on_shelf: onShelf ? 1 : 0,
              facing_count: onShelf ? random.int(0, 6) : 0,
              note: '',
            });
          }
        }
        context.insert('customer_timeline', {
          customer_id: customerId,
          kind: 'visit',
          ref_type: 'visit',
          ref_id: String(visitId),
          title: `拜访：${visitPurposeLabels[purpose]}`,
          summary: notes,
          actor_user_id: rep.id,
          occurred_at: checkInAt,
          dedup_key: null,
          created_at: checkInAt,
        });

        const checkInMs = Date.parse(checkInAt);
        if (checkInMs > customers.lastVisitMs[customerId]!) customers.lastVisitMs[customerId] = checkInMs;
        minute = checkOutMinute + random.int(20, 60);
      }
    }

    generateUpcomingPlans(context, rep.id, owned, random);
  }
}

function generateUpcomingPlans(context: GenerationContext, repId: number, owned: number[], random: GenerationContext['random']): void {
  let planned = 0;
  for (let day = context.asOfDay; planned < 10; day += 1) {
    if (!isFieldDay(day)) continue;
    planned += 1;
    const seen = new Set<number>();
    for (let slot = random.int(2, 4); slot > 0; slot -= 1) {
      const customerId = random.pick(owned);
      if (seen.has(customerId)) continue;
      seen.add(customerId);
      context.insert('visit_plan', {
        id: context.nextId('visit_plan'),
        owner_id: repId,
        customer_id: customerId,
        customer_name: context.customers.name[customerId],
        plan_date: dateOf(day),
        purpose: purposeTables[context.customers.type[customerId]!]!.draw(random),
        note: '',
        status: 'planned',
        visit_id: null,
        created_by: repId,
        created_at: instantAt(context.asOfDay - 1, 18 * 60),
        updated_at: instantAt(context.asOfDay - 1, 18 * 60),
      });
    }
  }
}
