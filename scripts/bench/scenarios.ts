import { randomUUID } from 'node:crypto';
import type SQLite from 'better-sqlite3';
import type { LoadRequest } from './http-load.js';
import type { BenchStack } from './stack.js';
import { listOpenTasks, supplyOpenApprovals, type OpenTask } from './approval-supply.js';

/**
 * The requests the suite measures. Each scenario names the endpoint it needs as it appears in
 * /api/openapi.json. An endpoint a module has not registered yet makes the scenario "not available",
 * which the report states, instead of failing the run or producing a number for something else.
 */

export class ScenarioUnavailable extends Error {}

export interface OpenApiIndex {
  has(method: string, path: string): boolean;
  /** GET paths matching the pattern, shortest first, with their query parameters. */
  findGet(pattern: RegExp): { path: string; parameters: { name: string; required: boolean }[] }[];
}

export interface Actor {
  platformUserId: string;
  id: number;
  name: string;
  token: string;
}

export interface ScenarioContext {
  stack: BenchStack;
  data: SQLite.Database;
  file: string;
  asOfDate: string;
  openApi: OpenApiIndex;
  actor(platformUserId: string): Promise<Actor>;
  /** The customer and month with the most ledger lines in the dataset (the statement's worst case). */
  statementStress: { customerId: number; month: string; lines: number } | null;
  /** The manager whose scope is closest to 50 reps, for the team view. */
  teamManager: { platformUserId: string; reps: number };
  log(line: string): void;
}

export interface Scenario {
  key: string;
  title: string;
  /** HTTP load at 1, 20 and 100 clients (key endpoints); otherwise in-process only (report queries). */
  load: boolean;
  /** Returns the request factory and a description of which user requests what; may throw ScenarioUnavailable. */
  prepare(context: ScenarioContext): Promise<{ describe: string; endpoint: string; next: () => LoadRequest; beforeRun?: (connections: number, durationSeconds: number) => Promise<void> }>;
}

const REP = 'zhangwei01';
const MANAGER = 'wanglei01';
const DIRECTOR = 'zhoujianhua01';
const EXECUTIVE = 'chenguodong01';
const FINANCE = 'zhuhongmei01';
const APPROVER = MANAGER;

function requireEndpoint(context: ScenarioContext, method: string, path: string): string {
  if (!context.openApi.has(method, path)) throw new ScenarioUnavailable(`${method.toUpperCase()} ${path} is not in /api/openapi.json yet`);
  return `${method.toUpperCase()} ${path}`;
}

function get(token: string, path: string): LoadRequest {
  return { method: 'GET', path, headers: { authorization: `Bearer ${token}` } };
}

function post(token: string, path: string, body: unknown, extraHeaders: Record<string, string> = {}): LoadRequest {
  return { method: 'POST', path, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...extraHeaders }, body: JSON.stringify(body) };
}

function rotate<T>(items: readonly T[]): () => T {
  let index = 0;
  return () => items[index++ % items.length]!;
}

function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Fills the query of a discovered report endpoint from the parameter names reports commonly take. */
function reportQuery(context: ScenarioContext, parameters: { name: string; required: boolean }[]): string {
  const known: Record<string, string> = {
    // The last twelve months up to the dataset's date: the "over a year" of the dashboard target.
    from: shiftDate(context.asOfDate, -364),
    to: context.asOfDate,
    asOf: context.asOfDate,
    asOfDate: context.asOfDate,
    date: context.asOfDate,
    month: context.asOfDate.slice(0, 7),
    year: context.asOfDate.slice(0, 4),
    period: 'year',
  };
  const query = new URLSearchParams();
  for (const parameter of parameters) {
    const value = known[parameter.name];
    if (value !== undefined && (parameter.required || ['from', 'to'].includes(parameter.name))) query.set(parameter.name, value);
    else if (parameter.required) throw new ScenarioUnavailable(`required query parameter "${parameter.name}" has no value the bench knows how to fill`);
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}

function discovered(context: ScenarioContext, pattern: RegExp, label: string): { path: string; parameters: { name: string; required: boolean }[] } {
  const found = context.openApi.findGet(pattern).filter((candidate) => !candidate.path.includes('{'));
  if (found.length === 0) throw new ScenarioUnavailable(`no GET endpoint for ${label} (matching ${pattern}) in /api/openapi.json yet`);
  return found[0]!;
}

const customerSearchTerms = ['xhsd', '新华', 'syxx', '图书馆', 'shucheng', 'bya', '实验', 'zx'];
const bookSearchTerms = ['jiangnan', '江南', '978753', 'tbxl', '数学', 'xiaohuli', '研究', 'sanwen'];

export const scenarios: Scenario[] = [
  {
    key: 'login',
    title: 'Login (auth code exchange)',
    load: true,
    async prepare(context) {
      const endpoint = requireEndpoint(context, 'post', '/api/auth/login');
      const users = (context.data.prepare(`select platform_user_id from app_user where platform_user_id not like 'bench%' and active = 1`).all() as { platform_user_id: string }[]).map((row) => row.platform_user_id);
      const nextUser = rotate(users);
      return {
        endpoint,
        describe: `${users.length} demo users in turn, each request with a fresh code from the fake platform`,
        next: () => ({ method: 'POST', path: '/api/auth/login', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ platform: 'dingtalk', code: context.stack.mintAuthCode(nextUser()) }) }),
      };
    },
  },
  {
    key: 'customer-list',
    title: 'Customer list (manager, type filter, sorted by follow-up)',
    load: true,
    async prepare(context) {
      const endpoint = requireEndpoint(context, 'get', '/api/customers');
      const actor = await context.actor(MANAGER);
      const pages = [0, 20, 40, 60].map((offset) => `/api/customers?view=mine&type=private_store,xinhua_store&sort=followup&order=asc&limit=20&offset=${offset}`);
      const nextPage = rotate(pages);
      return { endpoint, describe: `${actor.name} (${MANAGER}), first four pages of 20`, next: () => get(actor.token, nextPage()) };
    },
  },
  {
    key: 'customer-search',
    title: 'Customer search (name, pinyin, initials)',
    load: true,
    async prepare(context) {
      const endpoint = requireEndpoint(context, 'get', '/api/customers');
      const actor = await context.actor(MANAGER);
      const nextTerm = rotate(customerSearchTerms);
      return {
        endpoint,
        describe: `${actor.name} (${MANAGER}), terms ${customerSearchTerms.join(' / ')} in turn, 20 per page`,
        next: () => get(actor.token, `/api/customers?q=${encodeURIComponent(nextTerm())}&limit=20`),
      };
    },
  },
  {
    key: 'visit-check-in',
    title: 'Visit check-in (write, Idempotency-Key per request)',
    load: true,
    async prepare(context) {
      const endpoint = requireEndpoint(context, 'post', '/api/visits');
      const actor = await context.actor(REP);
      const customers = context.data.prepare('select id, latitude, longitude from customer where owner_id = ? and latitude is not null limit 50').all(actor.id) as { id: number; latitude: number; longitude: number }[];
      if (customers.length === 0) throw new ScenarioUnavailable(`${REP} owns no customer with a location in this dataset`);
      const nextCustomer = rotate(customers);
      return {
        endpoint,
        describe: `${actor.name} (${REP}) checks in at ${customers.length} own customers in turn, 30 m from the stored location`,
        next: () => {
          const customer = nextCustomer();
          return post(
            actor.token,
            '/api/visits',
            {
              customerId: customer.id,
              purpose: 'new_title',
              location: { latitude: customer.latitude + 0.0002, longitude: customer.longitude, accuracyMeters: 15, coordinateSystem: 'gcj02', address: null },
              locationFailure: null,
              flagReason: null,
              setCustomerLocation: false,
              tappedAt: null,
            },
            { 'idempotency-key': randomUUID() },
          );
        },
      };
    },
  },
  {
    key: 'quote-save',
    title: 'Quote save (new draft with 10 lines)',
    load: true,
    async prepare(context) {
      const endpoint = requireEndpoint(context, 'post', '/api/quotes');
      const actor = await context.actor(REP);
      const customers = context.data
        .prepare(`select c.id, coalesce(d.default_discount, 6500) as discount from customer c left join discount_agreement d on d.customer_id = c.id and d.scope = 'customer' where c.owner_id = ? limit 50`)
        .all(actor.id) as { id: number; discount: number }[];
      if (customers.length === 0) throw new ScenarioUnavailable(`${REP} owns no customer in this dataset`);
      const books = (context.data.prepare(`select id from book where status = 'on_sale' order by id limit 500`).all() as { id: number }[]).map((row) => row.id);
      const nextCustomer = rotate(customers);
      let offset = 0;
      return {
        endpoint,
        describe: `${actor.name} (${REP}) saves a draft for own customers in turn: 10 catalog titles at the agreed discount`,
        next: () => {
          const customer = nextCustomer();
          offset = (offset + 10) % Math.max(1, books.length - 10);
          const lines = books.slice(offset, offset + 10).map((bookId, index) => ({ bookId, quantity: 10 + index * 5, discount: customer.discount }));
          return post(actor.token, '/api/quotes', { customerId: customer.id, opportunityId: null, validUntil: shiftDate(context.asOfDate, 30), notes: null, lines });
        },
      };
    },
  },
  {
    key: 'approve',
    title: 'Approve (first step of a sales-contract approval)',
    load: true,
    async prepare(context) {
      const endpoint = requireEndpoint(context, 'post', '/api/approvals/{id}/approve');
      const actor = await context.actor(APPROVER);
      let queue: OpenTask[] = [];
      let next = 0;
      const refill = async (needed: number) => {
        const open = listOpenTasks(context.data, actor.id, needed + 100);
        if (open.length < needed) {
          const written = supplyOpenApprovals(context.file, actor.id, needed - open.length + 100);
          context.log(`  approve: wrote ${written} contracts in review for ${APPROVER}`);
        }
        queue = listOpenTasks(context.data, actor.id, needed + 100);
        next = 0;
      };
      await refill(50);
      return {
        endpoint,
        describe: `${actor.name} (${APPROVER}) approves a different open task each request (version checked); tasks are topped up before each run`,
        // Enough open tasks for the run at a generous rate; one approve consumes one task.
        beforeRun: (connections, durationSeconds) => refill(Math.min(40_000, Math.max(200, durationSeconds * (connections === 1 ? 1200 : 3000)))),
        next: () => {
          const task = queue[Math.min(next, queue.length - 1)]!;
          next += 1;
          return post(actor.token, `/api/approvals/${task.approvalId}/approve`, { version: task.version, comment: '同意' });
        },
      };
    },
  },
  {
    key: 'receivables-aging',
    title: 'Receivables aging totals (finance: the whole organisation)',
    load: true,
    async prepare(context) {
      // An aging endpoint of its own when there is one, else the receivables overview that carries the aging totals.
      let found;
      try {
        found = discovered(context, /aging/i, 'receivables aging');
      } catch {
        found = discovered(context, /\/receivables\/overview$/, 'receivables aging or overview');
      }
      const actor = await context.actor(FINANCE);
      const path = `${found.path}${reportQuery(context, found.parameters)}`;
      return { endpoint: `GET ${found.path}`, describe: `${actor.name} (${FINANCE}), ${path}`, next: () => get(actor.token, path) };
    },
  },
  {
    key: 'dashboard',
    title: 'Dashboard (executive: the whole organisation, last 12 months)',
    load: true,
    async prepare(context) {
      // A dedicated dashboard endpoint when there is one, else the KPI table the dashboard is drawn from.
      let found;
      try {
        found = discovered(context, /dashboard/i, 'the dashboard');
      } catch {
        found = discovered(context, /\/kpis?\b/i, 'the dashboard or KPIs');
      }
      const actor = await context.actor(EXECUTIVE);
      const path = `${found.path}${reportQuery(context, found.parameters)}`;
      return { endpoint: `GET ${found.path}`, describe: `${actor.name} (${EXECUTIVE}), ${path}`, next: () => get(actor.token, path) };
    },
  },
  {
    key: 'customer-search-director',
    title: 'Customer search across 发行部 (director, type filter + pinyin)',
    load: false,
    async prepare(context) {
      const endpoint = requireEndpoint(context, 'get', '/api/customers');
      const actor = await context.actor(DIRECTOR);
      const nextTerm = rotate(customerSearchTerms);
      return {
        endpoint,
        describe: `${actor.name} (${DIRECTOR}), school and store types, terms in turn`,
        next: () => get(actor.token, `/api/customers?q=${encodeURIComponent(nextTerm())}&type=school,private_store,xinhua_store&limit=20`),
      };
    },
  },
  {
    key: 'catalog-search',
    title: 'Catalog search (ISBN prefix, title, pinyin)',
    load: false,
    async prepare(context) {
      const endpoint = requireEndpoint(context, 'get', '/api/books');
      const actor = await context.actor(REP);
      const nextTerm = rotate(bookSearchTerms);
      return { endpoint, describe: `terms ${bookSearchTerms.join(' / ')} in turn`, next: () => get(actor.token, `/api/books?q=${encodeURIComponent(nextTerm())}&limit=20`) };
    },
  },
  {
    key: 'funnel',
    title: 'Sales funnel (executive: the whole organisation, this year)',
    load: false,
    async prepare(context) {
      const endpoint = requireEndpoint(context, 'get', '/api/opportunities/funnel');
      const actor = await context.actor(EXECUTIVE);
      const path = `/api/opportunities/funnel?from=${context.asOfDate.slice(0, 4)}-01-01&to=${context.asOfDate.slice(0, 4)}-12-31`;
      return { endpoint, describe: `${actor.name} (${EXECUTIVE}), ${path}`, next: () => get(actor.token, path) };
    },
  },
  {
    key: 'visit-team-view',
    title: 'Visit team view over the last month',
    load: false,
    async prepare(context) {
      const endpoint = requireEndpoint(context, 'get', '/api/visits/team');
      const actor = await context.actor(context.teamManager.platformUserId);
      const path = `/api/visits/team?from=${shiftDate(context.asOfDate, -30)}&to=${context.asOfDate}`;
      return { endpoint, describe: `${actor.name} (${context.teamManager.platformUserId}, ${context.teamManager.reps} reps in scope), ${path}`, next: () => get(actor.token, path) };
    },
  },
  {
    key: 'approval-inbox',
    title: "Approver's open task list",
    load: false,
    async prepare(context) {
      const endpoint = requireEndpoint(context, 'get', '/api/approvals');
      const actor = await context.actor(APPROVER);
      const open = listOpenTasks(context.data, actor.id, 1_000_000).length;
      return { endpoint, describe: `${actor.name} (${APPROVER}, ${open} open tasks), first page of 20`, next: () => get(actor.token, '/api/approvals?box=pending&limit=20') };
    },
  },
  {
    key: 'statement',
    title: 'Monthly statement of the customer with the most lines',
    load: false,
    async prepare(context) {
      const stress = context.statementStress;
      if (!stress) throw new ScenarioUnavailable('the dataset has no statement worst case (generated before it was added)');
      const found = context.openApi
        .findGet(/statement/i)
        .find((candidate) => !candidate.path.includes('{') && ['customerId', 'month'].every((name) => candidate.parameters.some((parameter) => parameter.name === name)));
      if (!found) throw new ScenarioUnavailable('no GET statement endpoint taking customerId and month in /api/openapi.json yet');
      const actor = await context.actor(FINANCE);
      const path = `${found.path}?customerId=${stress.customerId}&month=${stress.month}`;
      return { endpoint: `GET ${found.path}`, describe: `${actor.name} (${FINANCE}), customer ${stress.customerId} in ${stress.month} with ${stress.lines.toLocaleString('en-US')} ledger lines, first page of lines`, next: () => get(actor.token, path) };
    },
  },
  {
    key: 'workbench',
    title: 'Workbench of a rep',
    load: false,
    async prepare(context) {
      const found = discovered(context, /workbench/i, 'the workbench');
      const actor = await context.actor(REP);
      const path = `${found.path}${reportQuery(context, found.parameters)}`;
      return { endpoint: `GET ${found.path}`, describe: `${actor.name} (${REP}), ${path}`, next: () => get(actor.token, path) };
    },
  },
];
