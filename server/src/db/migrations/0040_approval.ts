import { sql, type Kysely } from 'kysely';

const templateCodes = `'sales_contract','special_discount','invoice_request','return_order','contract_void'`;
const instanceStatuses = `'pending','approved','rejected','withdrawn'`;
const stepStatuses = `'waiting','active','approved','skipped','cancelled'`;
const taskStatuses = `'pending','approved','rejected','sent_back','transferred','reassigned','cancelled'`;
const taskOrigins = `'rule','fallback','transfer','add_approver','reassign'`;
const historyActions = `'submit','resubmit','approve','reject','send_back','transfer','add_approver','withdraw','comment','step_skipped','fallback_to_admin','reassign','complete'`;

/** Approval engine: templates, instances with their steps and tasks, and the append-only history. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('approval_template')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('code', 'text', (c) => c.notNull().unique().check(sql.raw(`code in (${templateCodes})`)))
    .addColumn('version', 'integer', (c) => c.notNull().check(sql`version >= 1`))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('app_user.id'))
    .execute();

  await db.schema
    .createTable('approval_instance')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('template_id', 'integer', (c) => c.notNull().references('approval_template.id'))
    .addColumn('template_code', 'text', (c) => c.notNull())
    .addColumn('template_version', 'integer', (c) => c.notNull())
    // The definition as it was at submission, so later template edits never change a running approval.
    .addColumn('template_snapshot', 'text', (c) => c.notNull())
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'integer', (c) => c.notNull())
    .addColumn('submitter_id', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'integer', (c) => c.notNull())
    .addColumn('has_special_discount', 'integer', (c) => c.notNull().check(sql`has_special_discount in (0, 1)`))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql.raw(`status in (${instanceStatuses})`)))
    .addColumn('round', 'integer', (c) => c.notNull().defaultTo(1).check(sql`round >= 1`))
    .addColumn('current_step_index', 'integer')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('approval_instance_subject_index').on('approval_instance').columns(['subject_type', 'subject_id']).execute();
  await db.schema.createIndex('approval_instance_submitter_index').on('approval_instance').columns(['submitter_id', 'id']).execute();

  await db.schema
    .createTable('approval_step')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('instance_id', 'integer', (c) => c.notNull().references('approval_instance.id'))
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('step_index', 'integer', (c) => c.notNull())
    .addColumn('step_key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('all','any')`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql.raw(`status in (${stepStatuses})`)))
    .addColumn('note', 'text')
    // How many times the step has been activated in this round; a send-back activates a step again.
    .addColumn('activation', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('activated_at', 'text')
    .addColumn('completed_at', 'text')
    .addUniqueConstraint('approval_step_round_index_unique', ['instance_id', 'round', 'step_index'])
    .execute();

  await db.schema
    .createTable('approval_task')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('instance_id', 'integer', (c) => c.notNull().references('approval_instance.id'))
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('step_index', 'integer', (c) => c.notNull())
    // The step activation the task belongs to: only tasks of the latest activation decide the step.
    .addColumn('activation', 'integer', (c) => c.notNull())
    .addColumn('assignee_id', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql.raw(`status in (${taskStatuses})`)))
    .addColumn('origin', 'text', (c) => c.notNull().check(sql.raw(`origin in (${taskOrigins})`)))
    .addColumn('source_task_id', 'integer', (c) => c.references('approval_task.id'))
    .addColumn('comment', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('acted_at', 'text')
    .addColumn('last_reminded_at', 'text')
    .addColumn('reminder_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('approval_task_instance_index').on('approval_task').columns(['instance_id', 'round', 'step_index']).execute();
  // The approver's inbox: open tasks only, newest first. Partial, so 10,000s of closed tasks cost nothing.
  await db.schema
    .createIndex('approval_task_open_index')
    .on('approval_task')
    .columns(['assignee_id', 'id'])
    .where(sql.ref('status'), '=', 'pending')
    .execute();
  await db.schema.createIndex('approval_task_assignee_index').on('approval_task').columns(['assignee_id', 'id']).execute();
  await db.schema
    .createIndex('approval_task_open_age_index')
    .on('approval_task')
    .column('created_at')
    .where(sql.ref('status'), '=', 'pending')
    .execute();

  await db.schema
    .createTable('approval_history')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('instance_id', 'integer', (c) => c.notNull().references('approval_instance.id'))
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('step_index', 'integer')
    .addColumn('task_id', 'integer', (c) => c.references('approval_task.id'))
    .addColumn('actor_id', 'integer', (c) => c.references('app_user.id'))
    .addColumn('action', 'text', (c) => c.notNull().check(sql.raw(`action in (${historyActions})`)))
    .addColumn('comment', 'text')
    .addColumn('detail', 'text')
    .addColumn('content_hash', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('approval_history_instance_index').on('approval_history').columns(['instance_id', 'id']).execute();
}
