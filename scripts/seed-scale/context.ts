import type SQLite from 'better-sqlite3';
import type { SizeProfile } from './profile.js';
import { Random } from './random.js';
import { Batcher, TableWriter } from './table-writer.js';

/** One generated user of the organisation, as the later steps need it. */
export interface OrgMember {
  id: number;
  platformUserId: string;
  name: string;
  /** Main department (the first membership). */
  departmentId: number;
  isRep: boolean;
  /** The leader the sales-contract template's first step resolves to for this user. */
  leaderId: number | null;
  /** Provinces this user's customers are in. */
  provinceCodes: string[];
  /** Customer types this user sells to, by weight. */
  customerMix: readonly (readonly [number, number])[];
}

export interface OrgModel {
  members: OrgMember[];
  reps: OrgMember[];
  byPlatformId: Map<string, OrgMember>;
  financeLeaderId: number;
  financeClerkId: number;
  legalIds: number[];
  executiveId: number;
  sealKeeperId: number;
  adminId: number;
  departmentNames: Map<number, string>;
}

export interface Catalog {
  count: number;
  isbn: string[];
  title: string[];
  category: string[];
  series: (string | null)[];
  listPriceFen: Int32Array;
}

export interface CustomerModel {
  count: number;
  /** Index = customer id; 0 = in the pool. */
  ownerId: Int32Array;
  type: Uint8Array;
  name: string[];
  latitude: Float64Array;
  longitude: Float64Array;
  hasLocation: Uint8Array;
  /** The customer's long-run return share of shipped 码洋, basis points (5 %–40 %). */
  returnRateBp: Uint16Array;
  defaultDiscount: Uint16Array;
  floorDiscount: Uint16Array;
  firstContactId: Int32Array;
  contactCount: Uint8Array;
  contactName: string[];
  /** Latest visit instant in ms, written back to customer.last_followed_up_at at the end. */
  lastVisitMs: Float64Array;
  byOwner: Map<number, number[]>;
  creditCode: (string | null)[];
  /** 1 when the customer buys (stage won): contracts, shipments and receipts are generated for it. */
  buyer: Uint8Array;
}

export const customerTypeCodes = ['online_platform', 'xinhua_store', 'private_store', 'library', 'school', 'institution', 'corporate', 'other'] as const;

export class GenerationContext {
  readonly sqlite: SQLite.Database;
  readonly profile: SizeProfile;
  readonly random: Random;
  readonly batch: Batcher;
  /** Last local date of the dataset (the day it was generated); the history runs up to it. */
  readonly asOfDay: number;
  readonly startDay: number;
  readonly nowIso: string;
  org!: OrgModel;
  catalog!: Catalog;
  customers!: CustomerModel;
  private readonly writers = new Map<string, TableWriter>();
  private readonly ids = new Map<string, number>();
  private readonly staged = new Map<string, string[]>();
  private readonly stagedRows = new Map<string, number>();
  readonly skipped: string[] = [];

  constructor(options: { sqlite: SQLite.Database; profile: SizeProfile; seed: number; asOfDay: number; now: Date }) {
    this.sqlite = options.sqlite;
    this.profile = options.profile;
    this.random = new Random(options.seed);
    this.batch = new Batcher(options.sqlite);
    this.asOfDay = options.asOfDay;
    this.startDay = options.asOfDay - Math.round(options.profile.years * 365);
    this.nowIso = options.now.toISOString();
  }

  writer(table: string): TableWriter {
    let writer = this.writers.get(table);
    if (!writer) {
      writer = new TableWriter(this.sqlite, table);
      this.writers.set(table, writer);
    }
    return writer;
  }

  has(table: string): boolean {
    return this.writer(table).available;
  }

  /** Next explicit id of a table; rows get ids here so later rows can refer to them without reading back. */
  nextId(table: string): number {
    const id = (this.ids.get(table) ?? 0) + 1;
    this.ids.set(table, id);
    return id;
  }

  lastId(table: string): number {
    return this.ids.get(table) ?? 0;
  }

  /**
   * Writes one row of a table keyed by random-order values (search terms, tokens) into a temporary
   * staging table, appended in arrival order. `flushStaged` then copies it sorted by the key, so the
   * real table's B-tree is built by appends instead of millions of inserts at random places.
   */
  insertStaged(table: string, row: Record<string, unknown>, orderBy: string[]): void {
    if (!this.staged.has(table)) {
      this.sqlite.exec(`create temp table "stage_${table}" as select * from main."${table}" where 0`);
      this.staged.set(table, orderBy);
    }
    this.insert(`stage_${table}`, row);
  }

  /** Copies every staging table into its real table in key order and drops it. */
  flushStaged(): void {
    this.batch.flush();
    for (const [table, orderBy] of this.staged) {
      const columns = (this.sqlite.prepare(`select name from pragma_table_info(?)`).all(table) as { name: string }[]).map((column) => `"${column.name}"`).join(', ');
      this.sqlite.exec(`insert into main."${table}" (${columns}) select ${columns} from temp."stage_${table}" order by ${orderBy.map((column) => `"${column}"`).join(', ')}`);
      this.sqlite.exec(`drop table temp."stage_${table}"`);
      this.stagedRows.set(table, this.writer(`stage_${table}`).rows);
    }
    this.staged.clear();
  }

  /** Writes one row inside the running batch transaction. */
  insert(table: string, row: Record<string, unknown>): void {
    this.batch.reserve();
    this.writer(table).insert(row);
  }

  rowCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const [table, writer] of this.writers) if (writer.rows > 0 && !table.startsWith('stage_')) counts[table] = writer.rows;
    for (const [table, rows] of this.stagedRows) counts[table] = rows;
    return counts;
  }
}
