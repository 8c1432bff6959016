/**
 * The speed targets the product's modules set for themselves, each tied to the figure of this suite that
 * checks it. `scale` states the data size the target is set for, because a dataset smaller than that
 * makes a met target weaker evidence.
 */

export type Figure =
  | { kind: 'inProcessP95'; scenario: string; maxMs: number }
  | { kind: 'httpP95'; scenario: string; connections: number; maxMs: number }
  | { kind: 'throughput'; scenario: string; connections: number; minRps: number }
  | { kind: 'micro'; scenario: string; maxMs: number }
  | { kind: 'job'; job: string; maxMs: number };

export interface Target {
  module: string;
  text: string;
  scale: string;
  figure: Figure | null;
}

export const targets: Target[] = [
  {
    module: 'Customers',
    text: 'List with filters and a name or pinyin search: p95 < 30 ms in-process',
    scale: '100,000 customers, 300,000 contacts',
    figure: { kind: 'inProcessP95', scenario: 'customer-search', maxMs: 30 },
  },
  {
    module: 'Customers',
    text: 'Customer list HTTP endpoint ≥ 1,000 requests/s with 20 concurrent clients',
    scale: '100,000 customers, 300,000 contacts',
    figure: { kind: 'throughput', scenario: 'customer-list', connections: 20, minRps: 1000 },
  },
  { module: 'Customers', text: 'Import of 10,000 rows < 10 s', scale: '10,000-row file', figure: null },
  {
    module: 'Visits',
    text: 'Check-in p95 < 50 ms (photo upload excluded)',
    scale: '2,000,000 visits',
    figure: { kind: 'httpP95', scenario: 'visit-check-in', connections: 1, maxMs: 50 },
  },
  {
    module: 'Visits',
    text: 'Team view over a month for a 50-rep team < 200 ms',
    scale: '50-rep team',
    figure: { kind: 'inProcessP95', scenario: 'visit-team-view', maxMs: 200 },
  },
  {
    module: 'Catalog / opportunities / quotes',
    text: 'Funnel for a 1,000-rep organisation < 200 ms',
    scale: '1,000 reps, 200,000 opportunities',
    figure: { kind: 'inProcessP95', scenario: 'funnel', maxMs: 200 },
  },
  {
    module: 'Catalog / opportunities / quotes',
    text: 'Quote total recomputation of 500 lines < 5 ms (shared code the phone bundle runs; measured in Node here)',
    scale: '500 lines',
    figure: { kind: 'micro', scenario: 'quote-recompute-500', maxMs: 5 },
  },
  {
    module: 'Catalog / opportunities / quotes',
    text: 'Catalog search p95 < 30 ms',
    scale: '50,000 titles',
    figure: { kind: 'inProcessP95', scenario: 'catalog-search', maxMs: 30 },
  },
  {
    module: 'Approvals / contracts',
    text: 'Approve action p95 < 50 ms',
    scale: '100,000 contracts, 10,000 open approvals',
    figure: { kind: 'httpP95', scenario: 'approve', connections: 1, maxMs: 50 },
  },
  {
    module: 'Approvals / contracts',
    text: "Approver's task list < 30 ms",
    scale: '10,000 open approvals',
    figure: { kind: 'inProcessP95', scenario: 'approval-inbox', maxMs: 30 },
  },
  {
    module: 'Receivables',
    text: 'Overdue scan over 1,000,000 plans < 2 s',
    scale: '1,000,000 plans',
    figure: { kind: 'job', job: 'overdue', maxMs: 2000 },
  },
  {
    module: 'Receivables',
    text: 'Statement of a customer with 50,000 lines in the month < 300 ms',
    scale: '50,000 lines in one month',
    figure: { kind: 'inProcessP95', scenario: 'statement', maxMs: 300 },
  },
  {
    module: 'Receivables',
    text: 'Aging totals for a 1,000-rep organisation < 200 ms',
    scale: '1,000 reps',
    figure: { kind: 'inProcessP95', scenario: 'receivables-aging', maxMs: 200 },
  },
  {
    module: 'Projects / KPIs / dashboards',
    text: 'Dashboard for a 1,000-rep organisation over a year < 300 ms',
    scale: '1,000 reps; 2,000,000 visits, 200,000 contracts, 1,000,000 plans in the year',
    figure: { kind: 'inProcessP95', scenario: 'dashboard', maxMs: 300 },
  },
  { module: 'H5', text: 'First screen < 150 KB of JavaScript gzipped', scale: 'built H5', figure: null },
  { module: 'H5', text: 'Workbench largest contentful paint < 2.5 s (4× CPU slowdown, 9 Mbit/s, 100 ms RTT)', scale: 'built H5', figure: null },
];
