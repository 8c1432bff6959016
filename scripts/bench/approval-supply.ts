import SQLite from 'better-sqlite3';
import { netAmount, listAmount } from '../../shared/src/money.js';
import { sha256Hex } from '../../server/src/lib/hash.js';
import { AuditChain, loadApprovalTemplates, writeApproval, type ApproverDirectory, type RowSink } from '../seed-scale/approval-writer.js';
import { TableWriter } from '../seed-scale/table-writer.js';

/**
 * Tops up contracts waiting in review with their approval open at the approver's step, so the approve
 * benchmark never runs out of tasks: each approve request consumes one. Written straight into the
 * dataset (the running server reads them like any other row), in one transaction.
 */

export interface OpenTask {
  approvalId: number;
  version: number;
}

export function listOpenTasks(sqlite: SQLite.Database, approverId: number, limit: number): OpenTask[] {
  return sqlite
    .prepare(
      `select i.id as approvalId, i.version as version from approval_task t join approval_instance i on i.id = t.instance_id
       where t.assignee_id = ? and t.status = 'pending' and i.status = 'pending' and i.current_step_index = t.step_index and i.round = t.round
       order by t.id limit ?`,
    )
    .all(approverId, limit) as OpenTask[];
}

export function supplyOpenApprovals(file: string, approverId: number, count: number): number {
  const sqlite = new SQLite(file);
  sqlite.pragma('busy_timeout = 10000');
  try {
    const submitters = sqlite
      .prepare(
        `select distinct m.user_id as id from user_department l join user_department m on m.department_id = l.department_id
         join user_role r on r.user_id = m.user_id and r.role = 'rep'
         where l.user_id = ? and l.is_leader = 1 and m.user_id <> ?`,
      )
      .all(approverId, approverId) as { id: number }[];
    if (submitters.length === 0) throw new Error(`user ${approverId} leads no department with reps; pick an approver who leads a team`);
    const customersOf = sqlite.prepare('select id, name from customer where owner_id = ? limit 200');
    const books = sqlite.prepare('select id, isbn, title, list_price_fen from book order by random() limit 400').all() as { id: number; isbn: string; title: string; list_price_fen: number }[];
    const templates = loadApprovalTemplates(sqlite);
    const template = templates.get('sales_contract');
    if (!template) throw new Error('approval template sales_contract is missing; its migration seeds it');

    const nextIds = new Map<string, number>();
    const writers = new Map<string, TableWriter>();
    const sink: RowSink = {
      nextId(table) {
        if (!nextIds.has(table)) nextIds.set(table, ((sqlite.prepare(`select max(id) as id from "${table}"`).get() as { id: number | null }).id ?? 0) + 1);
        const id = nextIds.get(table)!;
        nextIds.set(table, id + 1);
        return id;
      },
      insert(table, row) {
        let writer = writers.get(table);
        if (!writer) {
          writer = new TableWriter(sqlite, table);
          writers.set(table, writer);
        }
        writer.insert(row);
      },
    };
    const lastHash = (sqlite.prepare('select hash from audit_log order by id desc limit 1').get() as { hash: string } | undefined)?.hash ?? null;
    const audit = new AuditChain(sink, lastHash);
    const usersWithRole = (role: string, leadersOnly: boolean) =>
      (
        sqlite
          .prepare(
            `select distinct r.user_id as id from user_role r join app_user u on u.id = r.user_id and u.active = 1
             ${leadersOnly ? 'join user_department d on d.user_id = r.user_id and d.is_leader = 1' : ''} where r.role = ?`,
          )
          .all(role) as { id: number }[]
      ).map((row) => row.id);
    const directory: ApproverDirectory = {
      leaderOf: () => approverId,
      usersWithRole,
      leadersOfDepartmentsNamed: (names) =>
        (
          sqlite
            .prepare(`select distinct d.user_id as id from user_department d join department p on p.id = d.department_id where d.is_leader = 1 and p.name in (${names.map(() => '?').join(',')})`)
            .all(...names) as { id: number }[]
        ).map((row) => row.id),
      admins: () => usersWithRole('admin', false),
    };

    const now = new Date();
    const year = now.getUTCFullYear();
    let sequence = 0;
    let written = 0;
    // Immediate, so the ids read inside are still the latest when the writes start.
    sqlite.transaction(() => {
      sequence = (sqlite.prepare('select last_value from contract_number_sequence where year = ?').get(year) as { last_value: number } | undefined)?.last_value ?? 0;
      for (let index = 0; index < count; index += 1) {
        const submitterId = submitters[index % submitters.length]!.id;
        const customers = customersOf.all(submitterId) as { id: number; name: string }[];
        if (customers.length === 0) continue;
        const customer = customers[index % customers.length]!;
        const contractId = sink.nextId('contract');
        sequence += 1;
        const number = `HT-${year}-${String(sequence).padStart(6, '0')}`;
        const lines = [books[(index * 2) % books.length]!, books[(index * 2 + 1) % books.length]!].map((book, seq) => {
          const quantity = 20 + (index % 80);
          return { book, seq: seq + 1, quantity, listAmountFen: listAmount(book.list_price_fen, quantity), netAmountFen: netAmount(book.list_price_fen, quantity, 6500) };
        });
        const totalNet = lines.reduce((sum, line) => sum + line.netAmountFen, 0);
        const contentHash = sha256Hex(`${number}|${customer.id}|${totalNet}`);
        const title = `${customer.name}购销合同（压测）`;
        const submittedAt = new Date(now.getTime() - (index % 600) * 60_000).toISOString();
        const { approvalId } = writeApproval(sink, audit, directory, {
          template,
          subjectType: 'contract',
          subjectId: contractId,
          submitterId,
          subject: { title, amountFen: totalNet, hasSpecialDiscount: false, contractType: 'purchase_sale', summaryFields: [{ label: '合同编号', value: number }], url: `/contracts/${contractId}` },
          contentHash,
          submittedAt,
          decisionTimes: [],
        });
        sink.insert('contract', {
          id: contractId,
          number,
          customer_id: customer.id,
          type: 'purchase_sale',
          title,
          status: 'in_review',
          owner_id: submitterId,
          total_list_fen: lines.reduce((sum, line) => sum + line.listAmountFen, 0),
          total_net_fen: totalNet,
          total_quantity: lines.reduce((sum, line) => sum + line.quantity, 0),
          has_special_discount: 0,
          approval_id: approvalId,
          version: 1,
          created_by: submitterId,
          created_at: submittedAt,
          updated_at: submittedAt,
        });
        for (const line of lines) {
          sink.insert('contract_line', {
            id: sink.nextId('contract_line'),
            contract_id: contractId,
            seq: line.seq,
            book_id: line.book.id,
            isbn: line.book.isbn,
            title: line.book.title,
            list_price_fen: line.book.list_price_fen,
            quantity: line.quantity,
            discount: 6500,
            floor_discount: null,
            is_special_discount: 0,
            list_amount_fen: line.listAmountFen,
            net_amount_fen: line.netAmountFen,
          });
        }
        sink.insert('contract_installment', { id: sink.nextId('contract_installment'), contract_id: contractId, seq: 1, due_date: new Date(now.getTime() + 30 * 86_400_000).toISOString().slice(0, 10), amount_fen: totalNet, percent_bp: null, note: '' });
        written += 1;
      }
      sqlite.prepare('insert into contract_number_sequence (year, last_value) values (?, ?) on conflict (year) do update set last_value = excluded.last_value').run(year, sequence);
    }).immediate();
    return written;
  } finally {
    sqlite.close();
  }
}
