import type { Generated } from 'kysely';
import type { CheckInLocationStatus, VisitPurpose } from '@shared/visit-rules.js';

/** Tables of store visits. Payload meanings follow @shared/api/visit. */

export interface VisitTable {
  id: Generated<number>;
  customer_id: number;
  /** The customer's name at check-in: the visit is a record of that day, and the watermark shows it. */
  customer_name: string;
  owner_id: number;
  purpose: VisitPurpose;
  status: 'checked_in' | 'checked_out';
  /** Server time, or the corrected tap time of a check-in the phone queued (then delayed_upload = 1). */
  check_in_at: string;
  /** Calendar date of check_in_at in the tenant's time zone; the team view groups by it. */
  check_in_date: string;
  received_at: string;
  delayed_upload: number;
  /** The position as the phone reported it, in coordinate_system. */
  latitude: number | null;
  longitude: number | null;
  accuracy_m: number | null;
  coordinate_system: 'wgs84' | 'gcj02' | null;
  address: string | null;
  location_failure: string | null;
  distance_m: number | null;
  radius_m: number;
  location_status: CheckInLocationStatus;
  flagged: number;
  flag_reason: string | null;
  set_customer_location: number;
  plan_id: number | null;
  notes: string;
  outcome: string;
  next_step: string;
  follow_up_date: string | null;
  follow_up_done_at: string | null;
  check_out_at: string | null;
  duration_minutes: number | null;
  created_at: string;
  updated_at: string;
}

export interface VisitContactTable {
  visit_id: number;
  seq: number;
  /** A contact of the customer, or null for someone not (yet) in the customer's contacts. */
  contact_id: number | null;
  name: string;
}

export interface VisitShelfItemTable {
  id: Generated<number>;
  visit_id: number;
  /** ISBN-13; kept even when the catalog does not know it. */
  isbn: string;
  book_id: number | null;
  title: string | null;
  on_shelf: number;
  facing_count: number;
  note: string;
}

export interface VisitPhotoTable {
  id: Generated<number>;
  visit_id: number;
  /** sha256 of the uploaded bytes; the original is stored under DATA_DIR/photos/original by it. */
  sha256: string;
  mime_type: 'image/jpeg' | 'image/png' | 'image/webp';
  width: number;
  height: number;
  size_bytes: number;
  taken_at: string | null;
  uploaded_at: string;
  uploaded_by: number;
}

export interface VisitPlanTable {
  id: Generated<number>;
  owner_id: number;
  customer_id: number;
  customer_name: string;
  plan_date: string;
  purpose: VisitPurpose;
  note: string;
  status: 'planned' | 'visited' | 'cancelled';
  visit_id: number | null;
  created_by: number;
  created_at: string;
  updated_at: string;
}

export interface VisitTables {
  visit: VisitTable;
  visit_contact: VisitContactTable;
  visit_shelf_item: VisitShelfItemTable;
  visit_photo: VisitPhotoTable;
  visit_plan: VisitPlanTable;
}
