import type { Kysely } from 'kysely';

/**
 * The approval templates every publisher starts with. They run in production too: contracts, quotes,
 * invoice requests and returns cannot be submitted without them. Admins edit them afterwards; this
 * migration only inserts the ones that do not exist yet.
 * Thresholds are in fen: 法务 reviews sales contracts from ¥100,000, the general manager from ¥500,000.
 */
const defaultTemplates = [
  {
    code: 'sales_contract',
    definition: {
      name: '销售合同审批',
      description: '部门负责人 → 法务（10 万元及以上）→ 编辑部/发行部负责人（含特价）→ 财务 → 总经理（50 万元及以上）',
      steps: [
        { key: 'department_leader', name: '部门负责人审批', approver: { kind: 'submitter_leader', levelsUp: 1 }, mode: 'any', condition: null },
        { key: 'legal', name: '法务审核', approver: { kind: 'role', role: 'legal', leadersOnly: false }, mode: 'any', condition: { kind: 'amount_at_least', amountFen: 10_000_000 } },
        {
          key: 'special_discount',
          name: '特价审核（编辑部/发行部）',
          approver: { kind: 'department_leaders', departmentNames: ['编辑部', '发行部'] },
          mode: 'any',
          condition: { kind: 'special_discount' },
        },
        { key: 'finance', name: '财务审核', approver: { kind: 'role', role: 'finance', leadersOnly: true }, mode: 'any', condition: null },
        {
          key: 'general_manager',
          name: '总经理审批',
          approver: { kind: 'role', role: 'executive', leadersOnly: true },
          mode: 'any',
          condition: { kind: 'amount_at_least', amountFen: 50_000_000 },
        },
      ],
    },
  },
  {
    code: 'special_discount',
    definition: {
      name: '特殊折扣审批',
      description: '报价中低于客户折扣底线的品种：部门负责人 → 编辑部/发行部负责人 → 总经理（20 万元及以上）',
      steps: [
        { key: 'department_leader', name: '部门负责人审批', approver: { kind: 'submitter_leader', levelsUp: 1 }, mode: 'any', condition: null },
        { key: 'distribution', name: '编辑部/发行部负责人审批', approver: { kind: 'department_leaders', departmentNames: ['编辑部', '发行部'] }, mode: 'any', condition: null },
        {
          key: 'general_manager',
          name: '总经理审批',
          approver: { kind: 'role', role: 'executive', leadersOnly: true },
          mode: 'any',
          condition: { kind: 'amount_at_least', amountFen: 20_000_000 },
        },
      ],
    },
  },
  {
    code: 'invoice_request',
    definition: {
      name: '开票申请审批',
      description: '部门负责人 → 财务',
      steps: [
        { key: 'department_leader', name: '部门负责人审批', approver: { kind: 'submitter_leader', levelsUp: 1 }, mode: 'any', condition: null },
        { key: 'finance', name: '财务审核', approver: { kind: 'role', role: 'finance', leadersOnly: false }, mode: 'any', condition: null },
      ],
    },
  },
  {
    code: 'return_order',
    definition: {
      name: '退货审批',
      description: '部门负责人 → 发行部负责人 → 财务 → 总经理（码洋 10 万元及以上）',
      steps: [
        { key: 'department_leader', name: '部门负责人审批', approver: { kind: 'submitter_leader', levelsUp: 1 }, mode: 'any', condition: null },
        { key: 'distribution', name: '发行部负责人审批', approver: { kind: 'department_leaders', departmentNames: ['发行部'] }, mode: 'any', condition: null },
        { key: 'finance', name: '财务审核', approver: { kind: 'role', role: 'finance', leadersOnly: false }, mode: 'any', condition: null },
        {
          key: 'general_manager',
          name: '总经理审批',
          approver: { kind: 'role', role: 'executive', leadersOnly: true },
          mode: 'any',
          condition: { kind: 'amount_at_least', amountFen: 10_000_000 },
        },
      ],
    },
  },
  {
    code: 'contract_void',
    definition: {
      name: '合同作废审批',
      description: '已审批的合同作废：部门负责人 → 法务 → 财务 → 总经理',
      steps: [
        { key: 'department_leader', name: '部门负责人审批', approver: { kind: 'submitter_leader', levelsUp: 1 }, mode: 'any', condition: null },
        { key: 'legal', name: '法务审核', approver: { kind: 'role', role: 'legal', leadersOnly: false }, mode: 'any', condition: null },
        { key: 'finance', name: '财务审核', approver: { kind: 'role', role: 'finance', leadersOnly: true }, mode: 'any', condition: null },
        { key: 'general_manager', name: '总经理审批', approver: { kind: 'role', role: 'executive', leadersOnly: true }, mode: 'any', condition: null },
      ],
    },
  },
];

export async function up(db: Kysely<unknown>): Promise<void> {
  const now = new Date().toISOString();
  const typed = db as Kysely<{ approval_template: { code: string; version: number; active: number; definition: string; created_at: string; updated_at: string; updated_by: number | null } }>;
  for (const template of defaultTemplates) {
    await typed
      .insertInto('approval_template')
      .values({ code: template.code, version: 1, active: 1, definition: JSON.stringify(template.definition), created_at: now, updated_at: now, updated_by: null })
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();
  }
}
