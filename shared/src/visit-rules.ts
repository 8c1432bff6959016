import { z } from 'zod';

/**
 * Rules of store visits that the server and the phone both apply: purposes, the check-in distance rule,
 * coordinate systems and photo limits. No I/O here, so the phone can decide offline exactly as the
 * server will decide later.
 */

export const visitPurposeSchema = z.enum(['new_title', 'shelf_check', 'collection', 'reconciliation', 'subscription', 'library_supply', 'other']);
export type VisitPurpose = z.infer<typeof visitPurposeSchema>;

export const visitPurposeLabels: Record<VisitPurpose, string> = {
  new_title: '新书推介',
  shelf_check: '铺货检查',
  collection: '回款催收',
  reconciliation: '对账',
  subscription: '征订',
  library_supply: '馆配洽谈',
  other: '其他',
};

/** Position of a check-in relative to the customer's stored location. */
export const checkInLocationStatusSchema = z.enum(['near', 'far', 'customer_unlocated', 'device_unlocated']);
export type CheckInLocationStatus = z.infer<typeof checkInLocationStatusSchema>;

export const checkInLocationStatusLabels: Record<CheckInLocationStatus, string> = {
  near: '位置正常',
  far: '距离过远',
  customer_unlocated: '客户未标注位置',
  device_unlocated: '未获取到定位',
};

export const coordinateSystemSchema = z.enum(['wgs84', 'gcj02']);
export type CoordinateSystem = z.infer<typeof coordinateSystemSchema>;

export interface LatLng {
  latitude: number;
  longitude: number;
}

/** Default radius around the customer's location inside which a check-in counts as on site. */
export const DEFAULT_CHECK_IN_RADIUS_M = 500;

/**
 * A check-in may set a customer's missing location only when the phone reports a fix at least this
 * precise, because a fix of several hundred metres (Wi-Fi or cell tower only) would misplace the store for good.
 */
export const MAX_ACCURACY_TO_SET_CUSTOMER_LOCATION_M = 100;

/** A check-in sent this long after the rep tapped 签到 was queued on the phone; managers see it marked. */
export const DELAYED_UPLOAD_THRESHOLD_MS = 2 * 60_000;

const EARTH_MEAN_RADIUS_M = 6_371_008.8;

/** Great-circle distance in metres between two points (haversine formula on a spherical earth). */
export function haversineMeters(a: LatLng, b: LatLng): number {
  const toRadians = (degrees: number) => (degrees * Math.PI) / 180;
  const deltaLat = toRadians(b.latitude - a.latitude);
  const deltaLng = toRadians(b.longitude - a.longitude);

  const h = Math.sin(deltaLat / 2) ** 2 + Math.cos(toRadians(a.latitude)) * Math.cos(toRadians(b.latitude)) * Math.sin(deltaLng / 2) ** 2;
  return 2 * EARTH_MEAN_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

// GCJ-02 is the obfuscated datum that mainland map providers (AMap, Tencent Maps) and both chat apps use.
// Raw GPS (WGS-84, what a browser reports) sits 100–700 m away from it inside China, which is as much as
// the check-in radius, so both sides are compared in GCJ-02. The shift is the published Krasovsky-ellipsoid
// approximation; outside mainland China the two systems coincide.
const KRASOVSKY_SEMI_MAJOR_AXIS = 6_378_245.0;
const KRASOVSKY_ECCENTRICITY_SQUARED = 0.006_693_421_622_965_943;

export function isOutsideMainlandChina(point: LatLng): boolean {
  return point.longitude < 72.004 || point.longitude > 137.8347 || point.latitude < 0.8293 || point.latitude > 55.8271;
}

export function wgs84ToGcj02(point: LatLng): LatLng {
  if (isOutsideMainlandChina(point)) return { ...point };

  const x = point.longitude - 105;
  const y = point.latitude - 35;
  const latitudeRadians = (point.latitude * Math.PI) / 180;
  const sinLatitude = Math.sin(latitudeRadians);
  const magic = 1 - KRASOVSKY_ECCENTRICITY_SQUARED * sinLatitude * sinLatitude;
  const sqrtMagic = Math.sqrt(magic);

  const latitudeShift =
    (gcjLatitudeOffset(x, y) * 180) / (((KRASOVSKY_SEMI_MAJOR_AXIS * (1 - KRASOVSKY_ECCENTRICITY_SQUARED)) / (magic * sqrtMagic)) * Math.PI);
  const longitudeShift = (gcjLongitudeOffset(x, y) * 180) / ((KRASOVSKY_SEMI_MAJOR_AXIS / sqrtMagic) * Math.cos(latitudeRadians) * Math.PI);
  return { latitude: point.latitude + latitudeShift, longitude: point.longitude + longitudeShift };
}

/** Inverse of wgs84ToGcj02 by fixed-point iteration; converges to well under a metre in a few rounds. */
export function gcj02ToWgs84(point: LatLng): LatLng {
  let guess = { ...point };
  for (let round = 0; round < 6; round += 1) {
    const shifted = wgs84ToGcj02(guess);
    guess = { latitude: guess.latitude - (shifted.latitude - point.latitude), longitude: guess.longitude - (shifted.longitude - point.longitude) };
  }
  return guess;
}

function periodicTerms(a: number, b: number): number {
  return ((20 * Math.sin(6 * a * Math.PI) + 20 * Math.sin(2 * a * Math.PI)) * 2) / 3 + b;
}

function gcjLatitudeOffset(x: number, y: number): number {
  let offset = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  offset = periodicTerms(x, offset);
  offset += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  offset += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return offset;
}

function gcjLongitudeOffset(x: number, y: number): number {
  let offset = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  offset = periodicTerms(x, offset);
  offset += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  offset += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return offset;
}

export function toGcj02(point: LatLng, system: CoordinateSystem): LatLng {
  return system === 'gcj02' ? { latitude: point.latitude, longitude: point.longitude } : wgs84ToGcj02(point);
}

export interface DevicePosition extends LatLng {
  accuracyMeters: number | null;
  coordinateSystem: CoordinateSystem;
}

export interface CheckInLocationDecision {
  status: CheckInLocationStatus;
  /** Whole metres from the customer's location, or null when either side has no location. */
  distanceM: number | null;
  /** Far or unlocated check-ins are shown to managers as flagged and need a reason from the rep. */
  flagged: boolean;
  /** True when this check-in is precise enough to become the customer's first stored location. */
  canSetCustomerLocation: boolean;
}

/**
 * Compares a check-in with the customer's stored location (GCJ-02). The rep may always check in, but a
 * flagged check-in needs a reason.
 */
export function evaluateCheckInLocation(input: { device: DevicePosition | null; customer: LatLng | null; radiusM: number }): CheckInLocationDecision {
  if (input.device === null) {
    return { status: 'device_unlocated', distanceM: null, flagged: true, canSetCustomerLocation: false };
  }

  if (input.customer === null) {
    const precise = input.device.accuracyMeters !== null && input.device.accuracyMeters <= MAX_ACCURACY_TO_SET_CUSTOMER_LOCATION_M;
    return { status: 'customer_unlocated', distanceM: null, flagged: false, canSetCustomerLocation: precise };
  }

  const distanceM = Math.round(haversineMeters(toGcj02(input.device, input.device.coordinateSystem), input.customer));
  const far = distanceM > input.radiusM;
  return { status: far ? 'far' : 'near', distanceM, flagged: far, canSetCustomerLocation: false };
}

/** "86 米" below one kilometre, "1.3 公里" above. */
export function formatDistance(meters: number): string {
  if (Math.round(meters) < 1000) return `${Math.round(meters)} 米`;
  return `${(meters / 1000).toFixed(meters < 10_000 ? 1 : 0)} 公里`;
}

/** Whole minutes between check-in and check-out, never negative. */
export function visitDurationMinutes(checkInAt: string, checkOutAt: string): number {
  return Math.max(0, Math.round((Date.parse(checkOutAt) - Date.parse(checkInAt)) / 60_000));
}

/** "45 分钟", "1 小时 20 分钟". */
export function formatDuration(minutes: number): string {
  if (minutes < 60) return `${minutes} 分钟`;
  const rest = minutes % 60;
  return rest === 0 ? `${Math.floor(minutes / 60)} 小时` : `${Math.floor(minutes / 60)} 小时 ${rest} 分钟`;
}

/**
 * Dates a check-in: when the rep really tapped 签到. The phone sends the tap time and its clock at the
 * moment of sending, so the difference to the server clock cancels a wrong phone clock. A check-in that
 * reaches the server promptly gets the server's own time. A queued one gets the corrected tap time and
 * is marked as delayed. The result is never later than the server time.
 */
export function resolveCheckInTime(input: { receivedAt: Date; tappedAt: string | null; clientTimeAtSend: string | null }): { at: Date; delayed: boolean } {
  if (input.tappedAt === null || input.clientTimeAtSend === null) return { at: input.receivedAt, delayed: false };

  const tapped = Date.parse(input.tappedAt);
  const sent = Date.parse(input.clientTimeAtSend);
  if (Number.isNaN(tapped) || Number.isNaN(sent)) return { at: input.receivedAt, delayed: false };

  const waitedMs = Math.max(0, sent - tapped);
  if (waitedMs < DELAYED_UPLOAD_THRESHOLD_MS) return { at: input.receivedAt, delayed: false };
  return { at: new Date(input.receivedAt.getTime() - waitedMs), delayed: true };
}

/** Photos the server accepts, by the type read from the file's content. */
export const acceptedPhotoTypes = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoMimeType = (typeof acceptedPhotoTypes)[number];

/** Upper limit of one uploaded photo; the phone compresses to well below it (about 1600 px JPEG). */
export const PHOTO_MAX_BYTES = 8 * 1024 * 1024;
export const PHOTOS_PER_VISIT_MAX = 9;
/** Maximum edge length the phone scales photos down to before upload. */
export const PHOTO_UPLOAD_MAX_EDGE_PX = 1600;

export const photoErrorMessages = {
  unsupportedType: '照片格式不支持：只能上传 JPEG、PNG 或 WebP 图片',
  heic: '暂不支持 HEIC 格式照片：请在手机“设置 > 相机 > 格式”中选择“兼容性最佳”，或截图后上传',
  tooLarge: `照片超过 ${PHOTO_MAX_BYTES / 1024 / 1024} MB 上限，请压缩或重新拍摄后上传`,
  tooMany: `每次拜访最多上传 ${PHOTOS_PER_VISIT_MAX} 张照片`,
  empty: '没有收到照片文件，请重新选择照片',
} as const;
