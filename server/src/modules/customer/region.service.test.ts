import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import { createLogger } from '../../logger.js';
import { describeRegion, findRegionByNames, loadRegionIndex, resolveRegionCodes, type RegionIndex } from './region.service.js';

let db: Db;
let index: RegionIndex;

beforeAll(async () => {
  db = openDatabase(':memory:').db;
  await migrateToLatest(db, createLogger('silent'));
  index = await loadRegionIndex(db);
});

afterAll(async () => {
  await db.destroy();
});

describe('findRegionByNames', () => {
  it('finds counties by full or short names, municipalities both ways, and rejects unknown places', () => {
    expect(findRegionByNames(index, { province: '江苏省', city: '南京市', county: '鼓楼区' })).toBe('320106');
    expect(findRegionByNames(index, { province: '江苏', city: '南京', county: '鼓楼区' })).toBe('320106');
    expect(findRegionByNames(index, { province: '江苏省', city: '徐州市', county: '鼓楼区' })).toBe('320302');
    expect(findRegionByNames(index, { province: '北京市', city: '朝阳区' })).toBe('110105');
    expect(findRegionByNames(index, { province: '北京市', city: '北京市', county: '朝阳区' })).toBe('110105');
    expect(findRegionByNames(index, { province: '广西', city: '南宁市' })).toBe('4501');
    expect(findRegionByNames(index, { province: '江苏省', city: '南京市', county: '朝阳区' })).toBeUndefined();
    expect(findRegionByNames(index, { province: '火星' })).toBeUndefined();
  });
});

describe('describeRegion', () => {
  it('labels a county without the 市辖区 placeholder', () => {
    expect(describeRegion(index, resolveRegionCodes(index, '110105')!)?.label).toBe('北京市 朝阳区');
    expect(describeRegion(index, resolveRegionCodes(index, '320106')!)?.label).toBe('江苏省 南京市 鼓楼区');
    expect(resolveRegionCodes(index, '329999')).toBeUndefined();
  });
});
