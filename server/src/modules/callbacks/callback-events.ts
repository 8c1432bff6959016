import type { Platform } from '@shared/roles.js';

/** An org change the server acts on, after the platform-specific payload is decoded. */
export type OrgEvent =
  | { kind: 'user_left'; platformUserIds: string[] }
  | { kind: 'org_changed'; detail: string }
  | { kind: 'ignored'; detail: string };

export interface DecodedEvent {
  platform: Platform;
  /** Stable id of the delivery, so a redelivered event is processed once. */
  eventId: string;
  eventType: string;
  event: OrgEvent;
}

const dingtalkOrgChangeTypes = new Set(['user_add_org', 'user_modify_org', 'org_dept_create', 'org_dept_modify', 'org_dept_remove', 'org_admin_add', 'org_admin_remove']);

/** Decodes a DingTalk event body (the decrypted JSON). */
export function decodeDingtalkEvent(payload: Record<string, unknown>, fallbackId: string): DecodedEvent {
  const eventType = String(payload.EventType ?? payload.eventType ?? 'unknown');
  const eventId = String(payload.EventId ?? payload.eventId ?? fallbackId);
  const userIds = Array.isArray(payload.UserId) ? payload.UserId.map(String) : [];

  let event: OrgEvent;
  if (eventType === 'user_leave_org') event = { kind: 'user_left', platformUserIds: userIds };
  else if (dingtalkOrgChangeTypes.has(eventType)) event = { kind: 'org_changed', detail: eventType };
  else event = { kind: 'ignored', detail: eventType };
  return { platform: 'dingtalk', eventId, eventType, event };
}

/** Decodes a WeCom event (the decrypted XML, already parsed into an object). */
export function decodeWecomEvent(xml: Record<string, unknown>): DecodedEvent {
  const changeType = String(xml.ChangeType ?? '');
  const eventName = String(xml.Event ?? xml.MsgType ?? 'unknown');
  const eventType = changeType ? `${eventName}.${changeType}` : eventName;
  // WeCom has no event id; its docs suggest FromUserName + CreateTime, which the change fields make unique.
  const eventId = [xml.FromUserName, xml.CreateTime, changeType, xml.UserID ?? xml.Id ?? ''].map(String).join(':');

  let event: OrgEvent;
  if (eventName === 'change_contact' && changeType === 'delete_user') event = { kind: 'user_left', platformUserIds: [String(xml.UserID ?? '')] };
  else if (eventName === 'change_contact') event = { kind: 'org_changed', detail: changeType };
  else event = { kind: 'ignored', detail: eventType };
  return { platform: 'wecom', eventId, eventType, event };
}
