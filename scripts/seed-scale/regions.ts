import type SQLite from 'better-sqlite3';

/** A county of the region table the customer migration loads, with the names customer names are built from. */
export interface County {
  code: string;
  name: string;
  cityCode: string;
  /** City name without 市, or the province name where the city row is a placeholder (市辖区, 县…). */
  cityShort: string;
  cityName: string;
  provinceCode: string;
  provinceName: string;
}

/**
 * Approximate coordinates (GCJ-02, the capital of each province) used to place customers: a customer lies
 * within about 80 km of its province's capital, which is close enough for the distance checks of visits.
 */
const provinceCentres: Record<string, [number, number]> = {
  '11': [39.9, 116.4], '12': [39.13, 117.2], '13': [38.04, 114.51], '14': [37.87, 112.55], '15': [40.84, 111.75],
  '21': [41.8, 123.43], '22': [43.82, 125.32], '23': [45.8, 126.53], '31': [31.23, 121.47], '32': [32.06, 118.8],
  '33': [30.27, 120.16], '34': [31.82, 117.23], '35': [26.07, 119.3], '36': [28.68, 115.86], '37': [36.65, 117.12],
  '41': [34.75, 113.63], '42': [30.59, 114.31], '43': [28.23, 112.94], '44': [23.13, 113.26], '45': [22.82, 108.37],
  '46': [20.04, 110.2], '50': [29.56, 106.55], '51': [30.57, 104.07], '52': [26.65, 106.63], '53': [25.04, 102.71],
  '54': [29.65, 91.14], '61': [34.34, 108.94], '62': [36.06, 103.83], '63': [36.62, 101.78], '64': [38.49, 106.23],
  '65': [43.83, 87.62],
};

export function provinceCentre(provinceCode: string): [number, number] {
  return provinceCentres[provinceCode] ?? [32.06, 118.8];
}

const placeholderCities = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

export function loadCounties(sqlite: SQLite.Database): Map<string, County[]> {
  const rows = sqlite
    .prepare(
      `select county.code, county.name, city.code as city_code, city.name as city_name, province.code as province_code, province.name as province_name
       from region county join region city on city.code = county.parent_code join region province on province.code = county.province_code
       where county.level = 'county'`,
    )
    .all() as { code: string; name: string; city_code: string; city_name: string; province_code: string; province_name: string }[];
  if (rows.length === 0) throw new Error('the region table is empty; the customer migration loads it from shared/fixtures/regions');

  const byProvince = new Map<string, County[]>();
  for (const row of rows) {
    // A 市辖区 row groups the districts of a provincial city; the city itself is the province (北京市…).
    const cityName = placeholderCities.has(row.city_name) ? row.province_name : row.city_name;
    const county: County = {
      code: row.code,
      name: row.name === '市辖区' ? cityName : row.name,
      cityCode: row.city_code,
      cityShort: cityName.replace(/(市|地区|盟)$/, '').replace(/(自治州|省|自治区|壮族|回族|维吾尔)$/g, ''),
      cityName,
      provinceCode: row.province_code,
      provinceName: row.province_name,
    };
    const list = byProvince.get(row.province_code) ?? [];
    list.push(county);
    byProvince.set(row.province_code, list);
  }
  return byProvince;
}
