import { z } from 'zod';
import { isbnErrorMessages, parseIsbn } from '../isbn.js';
import { checkInLocationStatusSchema, coordinateSystemSchema, visitPurposeSchema } from '../visit-rules.js';

/** Request and response payloads of the visit module: check-in, visit record, photos, shelf check, plans, team view. */

const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const instantSchema = z.iso.datetime({ offset: true, message: '时间格式应为 ISO 8601，例如 2025-03-01T08:30:00Z' });
const optionalText = (max: number, label: string) => z.string().trim().max(max, `${label}不能超过 ${max} 个字`).default('');

export const geoPositionSchema = z.object({
  latitude: z.number().min(-90, '纬度应在 -90 到 90 之间').max(90, '纬度应在 -90 到 90 之间'),
  longitude: z.number().min(-180, '经度应在 -180 到 180 之间').max(180, '经度应在 -180 到 180 之间'),
  accuracyMeters: z.number().min(0).max(100_000).nullable().default(null),
  coordinateSystem: coordinateSystemSchema,
  address: z.string().trim().max(200, '地址不能超过 200 个字').nullable().default(null),
});
export type GeoPositionInput = z.infer<typeof geoPositionSchema>;

/** Parses the ISBN as typed or scanned into ISBN-13. */
const shelfIsbnSchema = z.string().transform((value, context) => {
  const result = parseIsbn(value);
  if (result.ok) return result.isbn13;
  context.addIssue({ code: 'custom', message: isbnErrorMessages[result.reason] });
  return z.NEVER;
});

export const checkInRequestSchema = z.object({
  customerId: z.number().int().positive('请选择客户'),
  purpose: visitPurposeSchema.default('other'),
  /** Null when the phone could not get a fix; the check-in is then flagged and needs a reason. */
  location: geoPositionSchema.nullable(),
  /** Reason the location is missing, as the phone's bridge reported it (permission denied, timeout…). */
  locationFailure: z.string().trim().max(200).nullable().default(null),
  /** The rep's explanation for a far or unlocated check-in. */
  flagReason: z.string().trim().max(200, '原因不能超过 200 个字').nullable().default(null),
  /** Store this position as the customer's location when the customer has none yet. */
  setCustomerLocation: z.boolean().default(false),
  /** Phone clock when the rep tapped 签到; with the X-Client-Time header it dates a check-in sent late. */
  tappedAt: instantSchema.nullable().default(null),
});
export type CheckInRequest = z.input<typeof checkInRequestSchema>;

export const visitContactInputSchema = z.object({
  contactId: z.number().int().positive().nullable().default(null),
  name: z.string().trim().min(1, '联系人姓名不能为空').max(50, '联系人姓名不能超过 50 个字'),
});

export const shelfCheckItemInputSchema = z.object({
  isbn: shelfIsbnSchema,
  onShelf: z.boolean(),
  /** Copies shown face out; 0 when the title is shelved spine out or is missing. */
  facingCount: z.number().int().min(0, '面朝外的册数不能为负数').max(999, '面朝外的册数不能超过 999'),
  note: z.string().trim().max(200, '备注不能超过 200 个字').default(''),
});
export type ShelfCheckItemInput = z.input<typeof shelfCheckItemInputSchema>;

export const saveVisitRequestSchema = z
  .object({
    purpose: visitPurposeSchema,
    contacts: z.array(visitContactInputSchema).max(20, '一次拜访最多记录 20 位联系人').default([]),
    notes: optionalText(2000, '拜访记录'),
    outcome: optionalText(500, '拜访结果'),
    nextStep: optionalText(500, '下一步'),
    followUpDate: dateSchema.nullable().default(null),
    shelfChecks: z.array(shelfCheckItemInputSchema).max(300, '一次铺货检查最多 300 个品种').default([]),
    /** Ends the visit: the server records check-out time and duration once. */
    checkOut: z.boolean().default(false),
    /** Phone clock when the rep tapped 签退, for a check-out sent late (see X-Client-Time). */
    tappedAt: instantSchema.nullable().default(null),
  })
  .refine((body) => body.followUpDate === null || body.nextStep.length > 0, { path: ['nextStep'], message: '填写了跟进日期时，请写明下一步做什么' })
  .refine((body) => new Set(body.shelfChecks.map((item) => item.isbn)).size === body.shelfChecks.length, {
    path: ['shelfChecks'],
    message: '同一个 ISBN 只能记录一次，请合并重复的条目',
  });
export type SaveVisitRequest = z.input<typeof saveVisitRequestSchema>;

export const visitPhotoSchema = z.object({
  id: z.number().int(),
  width: z.number().int(),
  height: z.number().int(),
  sizeBytes: z.number().int(),
  takenAt: z.string().nullable(),
  uploadedAt: z.string(),
  /** API paths; the H5 fetches them with its token. */
  url: z.string(),
  thumbnailUrl: z.string(),
  originalUrl: z.string(),
});
export type VisitPhoto = z.infer<typeof visitPhotoSchema>;

export const shelfCheckItemSchema = z.object({
  isbn: z.string(),
  bookId: z.number().int().nullable(),
  /** Catalog title at the time of the check; null for an ISBN the catalog does not know. */
  title: z.string().nullable(),
  onShelf: z.boolean(),
  facingCount: z.number().int(),
  note: z.string(),
});

export const expectedTitleSchema = z.object({
  isbn: z.string(),
  title: z.string().nullable(),
  /** Why the title was expected: a focus title of the house, or stocked at the previous check. */
  source: z.enum(['focus', 'previous_check']),
});

export const checkInSchema = z.object({
  at: z.string(),
  date: z.string(),
  receivedAt: z.string(),
  delayedUpload: z.boolean(),
  location: geoPositionSchema.nullable(),
  locationFailure: z.string().nullable(),
  distanceM: z.number().int().nullable(),
  radiusM: z.number().int(),
  locationStatus: checkInLocationStatusSchema,
  flagged: z.boolean(),
  flagReason: z.string().nullable(),
  setCustomerLocation: z.boolean(),
});

export const visitStatusSchema = z.enum(['checked_in', 'checked_out']);
export type VisitStatus = z.infer<typeof visitStatusSchema>;

export const visitSchema = z.object({
  id: z.number().int(),
  customerId: z.number().int(),
  customerName: z.string(),
  ownerId: z.number().int(),
  ownerName: z.string(),
  purpose: visitPurposeSchema,
  status: visitStatusSchema,
  checkIn: checkInSchema,
  checkOutAt: z.string().nullable(),
  durationMinutes: z.number().int().nullable(),
  contacts: z.array(z.object({ contactId: z.number().int().nullable(), name: z.string() })),
  notes: z.string(),
  outcome: z.string(),
  nextStep: z.string(),
  followUpDate: z.string().nullable(),
  followUpDoneAt: z.string().nullable(),
  planId: z.number().int().nullable(),
  photos: z.array(visitPhotoSchema),
  shelfCheck: z.object({
    items: z.array(shelfCheckItemSchema),
    missingExpected: z.array(expectedTitleSchema),
  }),
  /** True when the caller owns the visit and may edit it. */
  editable: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Visit = z.infer<typeof visitSchema>;

export const visitListQuerySchema = z.object({
  customerId: z.coerce.number().int().positive().optional(),
  ownerId: z.coerce.number().int().positive().optional(),
  from: dateSchema.optional(),
  to: dateSchema.optional(),
  purpose: visitPurposeSchema.optional(),
  flagged: z.enum(['true', 'false']).optional(),
  /** Id of the last visit of the previous page (newest first). */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
/** Filters as a client sends them; every field optional. */
export type VisitListQuery = Partial<z.output<typeof visitListQuerySchema>>;

export const visitListItemSchema = z.object({
  id: z.number().int(),
  customerId: z.number().int(),
  customerName: z.string(),
  ownerId: z.number().int(),
  ownerName: z.string(),
  purpose: visitPurposeSchema,
  status: visitStatusSchema,
  checkInAt: z.string(),
  checkOutAt: z.string().nullable(),
  durationMinutes: z.number().int().nullable(),
  distanceM: z.number().int().nullable(),
  locationStatus: checkInLocationStatusSchema,
  flagged: z.boolean(),
  delayedUpload: z.boolean(),
  outcome: z.string(),
  followUpDate: z.string().nullable(),
});
export type VisitListItem = z.infer<typeof visitListItemSchema>;

export const visitListResponseSchema = z.object({
  items: z.array(visitListItemSchema),
  /** Pass as `before` to load the next page; null on the last page. */
  nextBefore: z.number().int().nullable(),
});

export const checkInTargetQuerySchema = z.object({
  customerId: z.coerce.number().int().positive('请选择客户'),
});

/** Facts the phone needs to decide a check-in by itself, even offline later. */
export const checkInTargetSchema = z.object({
  customerId: z.number().int(),
  customerName: z.string(),
  /** GCJ-02, or null when the customer has no stored location yet. */
  location: z.object({ latitude: z.number(), longitude: z.number() }).nullable(),
  radiusM: z.number().int(),
  /** Today's plan for this customer, if any; checking in completes it. */
  planId: z.number().int().nullable(),
  /** The customer's contacts, to pick whom the rep met. */
  contacts: z.array(z.object({ id: z.number().int(), name: z.string(), title: z.string().nullable() })),
});
export type CheckInTarget = z.infer<typeof checkInTargetSchema>;

export const visitPhotoParamsSchema = z.object({
  id: z.coerce.number().int().positive('id 必须是正整数'),
  photoId: z.coerce.number().int().positive('photoId 必须是正整数'),
});

export const photoVariantSchema = z.enum(['watermarked', 'thumbnail', 'original']);

export const followUpSchema = z.object({
  visitId: z.number().int(),
  customerId: z.number().int(),
  customerName: z.string(),
  nextStep: z.string(),
  followUpDate: z.string(),
  overdue: z.boolean(),
});
export type FollowUp = z.infer<typeof followUpSchema>;

export const followUpListSchema = z.object({ items: z.array(followUpSchema) });

// Plans

export const visitPlanStatusSchema = z.enum(['planned', 'visited', 'cancelled']);
export type VisitPlanStatus = z.infer<typeof visitPlanStatusSchema>;

export const visitPlanStatusLabels: Record<VisitPlanStatus, string> = { planned: '待拜访', visited: '已拜访', cancelled: '已取消' };

export const createVisitPlanRequestSchema = z.object({
  customerId: z.number().int().positive('请选择客户'),
  planDate: dateSchema,
  purpose: visitPurposeSchema.default('other'),
  note: optionalText(200, '备注'),
  /** A manager may plan for a rep of their team; default is the caller. */
  ownerId: z.number().int().positive().optional(),
});
export type CreateVisitPlanRequest = z.input<typeof createVisitPlanRequestSchema>;

export const visitPlanSchema = z.object({
  id: z.number().int(),
  ownerId: z.number().int(),
  ownerName: z.string(),
  customerId: z.number().int(),
  customerName: z.string(),
  planDate: z.string(),
  purpose: visitPurposeSchema,
  note: z.string(),
  status: visitPlanStatusSchema,
  visitId: z.number().int().nullable(),
});
export type VisitPlan = z.infer<typeof visitPlanSchema>;

export const visitPlanListQuerySchema = z.object({
  from: dateSchema,
  to: dateSchema,
  ownerId: z.coerce.number().int().positive().optional(),
});

export const visitPlanListSchema = z.object({ items: z.array(visitPlanSchema) });

// Team view

export const teamViewQuerySchema = z
  .object({ from: dateSchema, to: dateSchema })
  .refine((query) => query.from <= query.to, { path: ['to'], message: '结束日期不能早于开始日期' })
  .refine((query) => Date.parse(query.to) - Date.parse(query.from) <= 92 * 86_400_000, { path: ['to'], message: '日期范围最长 92 天，请缩短后再查' });
export type TeamViewQuery = z.infer<typeof teamViewQuerySchema>;

export const teamDayFiguresSchema = z.object({
  date: z.string(),
  planned: z.number().int(),
  plannedVisited: z.number().int(),
  visits: z.number().int(),
  customers: z.number().int(),
  flagged: z.number().int(),
});
export type TeamDayFigures = z.infer<typeof teamDayFiguresSchema>;

export const teamRepRowSchema = z.object({
  userId: z.number().int(),
  name: z.string(),
  totals: teamDayFiguresSchema.omit({ date: true }),
  /** Only days with a plan or a visit. */
  days: z.array(teamDayFiguresSchema),
});
export type TeamRepRow = z.infer<typeof teamRepRowSchema>;

export const teamViewSchema = z.object({
  from: z.string(),
  to: z.string(),
  reps: z.array(teamRepRowSchema),
  totals: teamDayFiguresSchema.omit({ date: true }),
});
export type TeamView = z.infer<typeof teamViewSchema>;

// Settings

export const visitSettingsSchema = z.object({
  checkInRadiusM: z.number().int().min(50, '签到半径不能小于 50 米').max(20_000, '签到半径不能超过 20 公里'),
  /** Titles every store should carry; a shelf check lists them as missing when not found. */
  focusIsbns: z.array(shelfIsbnSchema).max(200, '重点品种最多 200 个'),
});
export type VisitSettings = z.infer<typeof visitSettingsSchema>;

// Shelf check lookups

export const shelfLookupQuerySchema = z.object({ isbn: shelfIsbnSchema });

/** A scanned ISBN matched to the catalog; `bookId` and `title` are null for a title outside the catalog. */
export const shelfLookupSchema = z.object({
  isbn: z.string(),
  bookId: z.number().int().nullable(),
  title: z.string().nullable(),
});
export type ShelfLookup = z.infer<typeof shelfLookupSchema>;
