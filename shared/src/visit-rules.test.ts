import { describe, expect, it } from 'vitest';
import {
  evaluateCheckInLocation,
  formatDistance,
  formatDuration,
  gcj02ToWgs84,
  haversineMeters,
  resolveCheckInTime,
  visitDurationMinutes,
  wgs84ToGcj02,
} from './visit-rules.js';

const nanjingLibrary = { latitude: 32.0445, longitude: 118.7932 };

describe('haversineMeters', () => {
  it('measures Beijing Tiananmen to Shanghai People’s Square as about 1,067 km', () => {
    const distance = haversineMeters({ latitude: 39.9087, longitude: 116.3975 }, { latitude: 31.2304, longitude: 121.4737 });

    expect(distance / 1000).toBeCloseTo(1067, -1);
  });

  it('measures one thousandth of a degree of latitude as about 111 m', () => {
    expect(haversineMeters(nanjingLibrary, { ...nanjingLibrary, latitude: nanjingLibrary.latitude + 0.001 })).toBeCloseTo(111.2, 0);
  });
});

describe('wgs84ToGcj02', () => {
  it('shifts a point in Nanjing by a few hundred metres', () => {
    const shift = haversineMeters(nanjingLibrary, wgs84ToGcj02(nanjingLibrary));

    expect(shift).toBeGreaterThan(100);
    expect(shift).toBeLessThan(700);
  });

  it('leaves points outside mainland China unchanged', () => {
    const tokyo = { latitude: 35.6812, longitude: 139.7671 };

    expect(wgs84ToGcj02(tokyo)).toEqual(tokyo);
  });

  it('is undone by gcj02ToWgs84 to well under a metre', () => {
    expect(haversineMeters(gcj02ToWgs84(wgs84ToGcj02(nanjingLibrary)), nanjingLibrary)).toBeLessThan(0.5);
  });
});

describe('evaluateCheckInLocation', () => {
  const device = { ...nanjingLibrary, accuracyMeters: 20, coordinateSystem: 'gcj02' as const };

  it('is near inside the radius', () => {
    const decision = evaluateCheckInLocation({ device: { ...device, latitude: device.latitude + 0.003 }, customer: nanjingLibrary, radiusM: 500 });

    expect(decision).toEqual({ status: 'near', distanceM: 334, flagged: false, canSetCustomerLocation: false });
  });

  it('is far and flagged beyond the radius', () => {
    const decision = evaluateCheckInLocation({ device: { ...device, latitude: device.latitude + 0.005 }, customer: nanjingLibrary, radiusM: 500 });

    expect(decision).toMatchObject({ status: 'far', distanceM: 556, flagged: true });
  });

  it('converts a raw GPS position before comparing', () => {
    const raw = { ...gcj02ToWgs84(nanjingLibrary), accuracyMeters: 10, coordinateSystem: 'wgs84' as const };

    expect(evaluateCheckInLocation({ device: raw, customer: nanjingLibrary, radiusM: 500 }).distanceM).toBe(0);
  });

  it('flags a check-in without a device position', () => {
    expect(evaluateCheckInLocation({ device: null, customer: nanjingLibrary, radiusM: 500 })).toMatchObject({ status: 'device_unlocated', flagged: true });
  });

  it('lets only a precise fix set a customer’s missing location', () => {
    expect(evaluateCheckInLocation({ device, customer: null, radiusM: 500 })).toMatchObject({ status: 'customer_unlocated', flagged: false, canSetCustomerLocation: true });
    expect(evaluateCheckInLocation({ device: { ...device, accuracyMeters: 800 }, customer: null, radiusM: 500 }).canSetCustomerLocation).toBe(false);
    expect(evaluateCheckInLocation({ device: { ...device, accuracyMeters: null }, customer: null, radiusM: 500 }).canSetCustomerLocation).toBe(false);
  });
});

describe('resolveCheckInTime', () => {
  const receivedAt = new Date('2025-03-10T06:00:00Z');

  it('uses the server time for a check-in sent right away', () => {
    expect(resolveCheckInTime({ receivedAt, tappedAt: '2025-03-10T05:59:30Z', clientTimeAtSend: '2025-03-10T06:00:00Z' })).toEqual({ at: receivedAt, delayed: false });
  });

  it('uses the server time when the phone sends no clock reading', () => {
    expect(resolveCheckInTime({ receivedAt, tappedAt: '2025-03-10T04:00:00Z', clientTimeAtSend: null })).toEqual({ at: receivedAt, delayed: false });
  });

  it('queued check-in dated by waiting time', () => {
    // Phone clock 1 hour slow; the check-in waited 25 minutes on the phone.
    const result = resolveCheckInTime({ receivedAt, tappedAt: '2025-03-10T04:35:00Z', clientTimeAtSend: '2025-03-10T05:00:00Z' });

    expect(result).toEqual({ at: new Date('2025-03-10T05:35:00Z'), delayed: true });
  });

  it('never dates a check-in after the server received it', () => {
    expect(resolveCheckInTime({ receivedAt, tappedAt: '2025-03-10T07:00:00Z', clientTimeAtSend: '2025-03-10T06:00:00Z' }).at).toEqual(receivedAt);
  });
});

describe('formatting', () => {
  it('writes distances in 米 and 公里', () => {
    expect([formatDistance(86), formatDistance(999.6), formatDistance(1286), formatDistance(23_400)]).toEqual(['86 米', '1.0 公里', '1.3 公里', '23 公里']);
  });

  it('writes durations in minutes and hours', () => {
    expect([formatDuration(45), formatDuration(60), formatDuration(80)]).toEqual(['45 分钟', '1 小时', '1 小时 20 分钟']);
    expect(visitDurationMinutes('2025-03-10T06:00:00Z', '2025-03-10T06:44:40Z')).toBe(45);
  });
});
