import type { Customer, CustomerListItem } from '@shared/api/customer.js';
import { customerStageSchema, customerTypeSchema } from '@shared/api/customer.js';
import { z } from 'zod';
import type { CustomerRow } from './customer.repository.js';
import { describeRegion, type RegionIndex } from './region.service.js';

const tagsSchema = z.array(z.string()).catch([]);

export function parseTags(json: string): string[] {
  return tagsSchema.parse(JSON.parse(json));
}

export function regionLabelOf(index: RegionIndex, row: Pick<CustomerRow, 'province_code' | 'city_code' | 'county_code'>): string | null {
  return describeRegion(index, { provinceCode: row.province_code, cityCode: row.city_code, countyCode: row.county_code })?.label ?? null;
}

export interface CustomerDetailParts {
  row: CustomerRow;
  regions: RegionIndex;
  owner: { id: number; name: string } | null;
  department: { id: number; name: string } | null;
  collaborators: Customer['collaborators'];
  permissions: Customer['permissions'];
}

export function toCustomer(parts: CustomerDetailParts): Customer {
  const { row } = parts;
  return {
    id: row.id,
    name: row.name,
    shortName: row.short_name,
    type: customerTypeSchema.parse(row.type),
    stage: customerStageSchema.parse(row.stage),
    stageChangedAt: row.stage_changed_at,
    creditCode: row.credit_code,
    region: describeRegion(parts.regions, { provinceCode: row.province_code, cityCode: row.city_code, countyCode: row.county_code }),
    address: row.address,
    location: row.latitude !== null && row.longitude !== null ? { lat: row.latitude, lng: row.longitude } : null,
    tags: parseTags(row.tags),
    source: row.source,
    notes: row.notes,
    owner: parts.owner,
    ownedSince: row.owned_since,
    department: parts.department,
    collaborators: parts.collaborators,
    creditLimitFen: row.credit_limit_fen,
    inPool: row.owner_id === null,
    releasedAt: row.released_at,
    releaseReason: row.release_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastFollowedUpAt: row.last_followed_up_at,
    version: row.version,
    permissions: parts.permissions,
  };
}

export interface CustomerListRow {
  id: number;
  name: string;
  short_name: string | null;
  type: string;
  stage: string;
  province_code: string;
  city_code: string | null;
  county_code: string | null;
  owner_id: number | null;
  owner_name: string | null;
  tags: string;
  last_followed_up_at: string | null;
  released_at: string | null;
  updated_at: string;
}

export function toCustomerListItem(row: CustomerListRow, regions: RegionIndex): CustomerListItem {
  return {
    id: row.id,
    name: row.name,
    shortName: row.short_name,
    type: customerTypeSchema.parse(row.type),
    stage: customerStageSchema.parse(row.stage),
    regionLabel: regionLabelOf(regions, row),
    owner: row.owner_id !== null && row.owner_name !== null ? { id: row.owner_id, name: row.owner_name } : null,
    tags: parseTags(row.tags),
    lastFollowedUpAt: row.last_followed_up_at,
    releasedAt: row.released_at,
    updatedAt: row.updated_at,
  };
}
