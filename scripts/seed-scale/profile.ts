/**
 * Dataset sizes. S, M and L are the sizes the performance targets are stated for. `smoke` is a tiny
 * dataset for the CI run of the benchmark, which exercises the bench code in seconds.
 */
export type SizeName = 'smoke' | 'S' | 'M' | 'L';

export interface SizeProfile {
  name: SizeName;
  customers: number;
  /** Reps including the demo organisation's reps and team leaders. */
  reps: number;
  years: number;
  books: number;
  contactsPerCustomer: number;
  /** Reps per generated team; each team has one leader who is also a rep. */
  teamSize: number;
  /** Opportunities per customer and year (the funnel's depth). */
  opportunitiesPerCustomerYear: number;
  /** Contracts per owned customer and year; each has installments, shipments and receipts. */
  contractsPerCustomerYear: number;
  /** Approvals left waiting, spread over the approvers, so approve and task-list figures have work. */
  openApprovals: number;
  /** Visits of the last N days get shelf-check items (older visits keep their header and contacts). */
  shelfCheckDays: number;
  /** Ledger lines of the one large online customer in the previous month (the statement's worst case). */
  statementStressLines: number;
}

const profiles: Record<SizeName, SizeProfile> = {
  smoke: {
    name: 'smoke',
    customers: 500,
    reps: 20,
    years: 1,
    books: 1_000,
    contactsPerCustomer: 3,
    teamSize: 8,
    opportunitiesPerCustomerYear: 1.3,
    contractsPerCustomerYear: 1.3,
    openApprovals: 300,
    shelfCheckDays: 30,
    statementStressLines: 500,
  },
  S: {
    name: 'S',
    customers: 5_000,
    reps: 100,
    years: 1,
    books: 5_000,
    contactsPerCustomer: 3,
    teamSize: 12,
    opportunitiesPerCustomerYear: 1.3,
    contractsPerCustomerYear: 1.3,
    openApprovals: 1_000,
    shelfCheckDays: 90,
    statementStressLines: 5_000,
  },
  M: {
    name: 'M',
    customers: 50_000,
    reps: 1_000,
    years: 3,
    books: 50_000,
    contactsPerCustomer: 3,
    teamSize: 12,
    opportunitiesPerCustomerYear: 1.3,
    contractsPerCustomerYear: 1.3,
    openApprovals: 10_000,
    shelfCheckDays: 90,
    statementStressLines: 50_000,
  },
  L: {
    name: 'L',
    customers: 150_000,
    reps: 3_000,
    years: 3,
    books: 50_000,
    contactsPerCustomer: 3,
    teamSize: 12,
    opportunitiesPerCustomerYear: 1.3,
    contractsPerCustomerYear: 1.3,
    openApprovals: 30_000,
    shelfCheckDays: 90,
    statementStressLines: 50_000,
  },
};

export function sizeProfile(name: string): SizeProfile {
  const profile = profiles[name as SizeName];
  if (!profile) throw new Error(`unknown dataset size "${name}"; use one of: ${Object.keys(profiles).join(', ')}`);
  return profile;
}
