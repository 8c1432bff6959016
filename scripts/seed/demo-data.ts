import type { Logger } from 'pino';
import type { Db } from '../../server/src/db/database.js';
import { approvalSeedStep } from './approval.seed.js';
import { bookSeedStep } from './book.seed.js';
import { contractSeedStep } from './contract.seed.js';
import { customerSeedStep } from './customer.seed.js';
import { opportunitySeedStep } from './opportunity.seed.js';
import { projectSeedStep } from './project.seed.js';
import { quoteSeedStep } from './quote.seed.js';
import { receivableSeedStep } from './receivable.seed.js';
import { visitSeedStep } from './visit.seed.js';

export interface DemoSeedContext {
  db: Db;
  logger: Logger;
  now: Date;
  /** Users of the demo organisation by platform user id, e.g. 'zhangwei01' → local id. */
  userIds: Map<string, number>;
}

export interface DemoSeedStep {
  /** Stable name; a step runs once per database and is recorded in the setting table. */
  name: string;
  run(context: DemoSeedContext): Promise<void>;
}

/** Business data of the demo publisher, in dependency order. Each feature module adds its step here. */
export const demoSeedSteps: DemoSeedStep[] = [
  bookSeedStep,
  customerSeedStep,
  // Opportunities and quotes hang on the customers each rep owns: keep them after the customer step.
  opportunitySeedStep,
  quoteSeedStep,
  // Contracts go to the customers each rep owns, with catalog lines; approval extras act on their approvals.
  contractSeedStep,
  approvalSeedStep,
  // Receivables create their own past contracts and ship, bill and collect against them.
  receivableSeedStep,
  // Visits go to the customers each rep owns and scan the catalog's titles.
  visitSeedStep,
  // Projects use the catalog and the reps' customers; targets cover every rep and team.
  projectSeedStep,
];

/** Runs the steps not yet recorded in this database, so restarting the demo keeps and does not duplicate data. */
export async function seedDemoData(context: DemoSeedContext): Promise<string[]> {
  const applied: string[] = [];
  for (const step of demoSeedSteps) {
    const key = `demo_seed:${step.name}`;
    const done = await context.db.selectFrom('setting').select('key').where('key', '=', key).executeTakeFirst();
    if (done) continue;
    await step.run(context);
    await context.db.insertInto('setting').values({ key, value: JSON.stringify({ at: context.now.toISOString() }), updated_by: null, updated_at: context.now.toISOString() }).execute();
    context.logger.info({ step: step.name }, 'demo data seeded');
    applied.push(step.name);
  }
  return applied;
}
