import type { Region } from '@shared/api/customer.js';
import type { DbExecutor } from '../../db/database.js';
import type { RegionTable } from './customer.tables.js';

/**
 * The administrative-division table is fixed data (about 3,400 rows), so it is read once per database
 * handle and kept in memory: validating a code or labelling a list row costs a map lookup.
 */
export interface RegionIndex {
  byCode: Map<string, RegionTable>;
  all: RegionTable[];
  /** Direct children by parent code, and every county by province code, so name lookups scan dozens, not thousands. */
  children: Map<string, RegionTable[]>;
  countiesOfProvince: Map<string, RegionTable[]>;
  provinces: RegionTable[];
}

function buildIndex(rows: RegionTable[]): RegionIndex {
  const children = new Map<string, RegionTable[]>();
  const countiesOfProvince = new Map<string, RegionTable[]>();
  for (const row of rows) {
    if (row.parent_code) children.set(row.parent_code, [...(children.get(row.parent_code) ?? []), row]);
    if (row.level === 'county') countiesOfProvince.set(row.province_code, [...(countiesOfProvince.get(row.province_code) ?? []), row]);
  }
  return { byCode: new Map(rows.map((row) => [row.code, row])), all: rows, children, countiesOfProvince, provinces: rows.filter((row) => row.level === 'province') };
}

const cache = new WeakMap<object, Promise<RegionIndex>>();

/** Placeholder names of the statistics bureau that mean "no city level here"; labels leave them out. */
const placeholderNames = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

export function loadRegionIndex(db: DbExecutor): Promise<RegionIndex> {
  let index = cache.get(db);
  if (!index) {
    index = db
      .selectFrom('region')
      .selectAll()
      .orderBy('code')
      .execute()
      .then(buildIndex);
    index.catch(() => cache.delete(db));
    cache.set(db, index);
  }
  return index;
}

export interface RegionCodes {
  provinceCode: string;
  cityCode: string | null;
  countyCode: string | null;
}

/** The province / city / county codes of a region code of any level, or undefined for an unknown code. */
export function resolveRegionCodes(index: RegionIndex, code: string): RegionCodes | undefined {
  const region = index.byCode.get(code);
  if (!region) return undefined;
  if (region.level === 'province') return { provinceCode: region.code, cityCode: null, countyCode: null };
  if (region.level === 'city') return { provinceCode: region.province_code, cityCode: region.code, countyCode: null };
  return { provinceCode: region.province_code, cityCode: region.parent_code, countyCode: region.code };
}

export function describeRegion(index: RegionIndex, codes: RegionCodes): Region | null {
  const province = index.byCode.get(codes.provinceCode);
  if (!province) return null;
  const city = codes.cityCode ? index.byCode.get(codes.cityCode) : undefined;
  const county = codes.countyCode ? index.byCode.get(codes.countyCode) : undefined;
  const names = [province.name, city?.name, county?.name].filter((name): name is string => Boolean(name) && !placeholderNames.has(name!));
  return {
    code: county?.code ?? city?.code ?? province.code,
    provinceCode: province.code,
    provinceName: province.name,
    cityCode: city?.code ?? null,
    cityName: city?.name ?? null,
    countyCode: county?.code ?? null,
    countyName: county?.name ?? null,
    label: [...new Set(names)].join(' '),
  };
}

/**
 * Finds a region from the names in an import row ('江苏省', '南京市', '鼓楼区'), tolerating a missing 省/市
 * suffix. Municipalities may be written '北京市 / 北京市 / 朝阳区' or '北京市 / 朝阳区'. Returns the most
 * specific code, or undefined when a name given does not exist at that place.
 */
export function findRegionByNames(index: RegionIndex, names: { province: string; city?: string; county?: string }): string | undefined {
  const typedProvince = names.province.trim();
  // '广西' and '内蒙古' are how people write 广西壮族自治区 and 内蒙古自治区.
  const province = index.provinces.find((region) => sameRegionName(region.name, typedProvince) || (typedProvince.length >= 2 && region.name.startsWith(typedProvince)));
  if (!province) return undefined;
  const countiesOfProvince = index.countiesOfProvince.get(province.code) ?? [];
  const countyNamed = (candidates: RegionTable[], name: string) => candidates.find((region) => sameRegionName(region.name, name));

  if (!names.city && !names.county) return province.code;
  if (!names.city) return countyNamed(countiesOfProvince, names.county!)?.code;

  const city = (index.children.get(province.code) ?? []).find((region) => sameRegionName(region.name, names.city!));
  if (city) {
    if (!names.county) return city.code;
    return countyNamed(index.children.get(city.code) ?? [], names.county)?.code;
  }

  // No such city: a municipality ('北京市 / 朝阳区', '北京市 / 北京市 / 朝阳区') or a county governed by the province.
  if (!names.county) return countyNamed(countiesOfProvince, names.city)?.code;
  if (sameRegionName(province.name, names.city)) return countyNamed(countiesOfProvince, names.county)?.code;
  return undefined;
}

function sameRegionName(regionName: string, typed: string): boolean {
  const text = typed.trim();
  if (regionName === text) return true;
  const strip = (name: string) => name.replace(/(省|市|自治区|自治州|地区|特别行政区)$/, '');
  return text.length >= 2 && strip(regionName) === strip(text);
}

/** The whole division tree for the H5 picker (about 100 KB of JSON, cached by the browser for a day). */
export async function regionTree(db: DbExecutor) {
  const index = await loadRegionIndex(db);
  return {
    provinces: index.all.filter((region) => region.level === 'province').map((region) => ({ code: region.code, name: region.name })),
    cities: index.all.filter((region) => region.level === 'city').map((region) => ({ code: region.code, name: region.name, parentCode: region.parent_code! })),
    counties: index.all.filter((region) => region.level === 'county').map((region) => ({ code: region.code, name: region.name, parentCode: region.parent_code! })),
  };
}
