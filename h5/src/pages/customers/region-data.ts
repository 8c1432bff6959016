import type { CascaderOption } from 'vant';
import type { RegionTree } from '@shared/api/customer';
import { fetchRegions } from '../../api/customers';

/**
 * The division tree from /api/regions (国家统计局 data the server validates against), turned into Vant
 * Cascader options once per session.
 */
let treePromise: Promise<RegionTree> | null = null;

export function loadRegionTree(): Promise<RegionTree> {
  treePromise ??= fetchRegions().catch((error: unknown) => {
    treePromise = null;
    throw error;
  });
  return treePromise;
}

export function toCascaderOptions(tree: RegionTree): CascaderOption[] {
  const countiesByCity = new Map<string, CascaderOption[]>();
  for (const county of tree.counties) {
    const list = countiesByCity.get(county.parentCode) ?? [];
    list.push({ text: county.name, value: county.code });
    countiesByCity.set(county.parentCode, list);
  }
  const citiesByProvince = new Map<string, CascaderOption[]>();
  for (const city of tree.cities) {
    const list = citiesByProvince.get(city.parentCode) ?? [];
    const children = countiesByCity.get(city.code);
    list.push(children ? { text: city.name, value: city.code, children } : { text: city.name, value: city.code });
    citiesByProvince.set(city.parentCode, list);
  }
  return tree.provinces.map((province) => ({ text: province.name, value: province.code, children: citiesByProvince.get(province.code) ?? [] }));
}

/** Names without the statistics bureau's placeholders (市辖区, 县): '北京市 朝阳区'. */
export function labelOf(names: string[]): string {
  return names.filter((name) => !['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划'].includes(name)).join(' ');
}
