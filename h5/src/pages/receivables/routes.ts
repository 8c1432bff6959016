import type { RouteRecordRaw } from 'vue-router';
import type { Shortcut, WorkbenchSection } from '../../area';

export const routes: RouteRecordRaw[] = [
  { path: '/receivables', name: 'receivables', component: () => import('./ReceivablesPage.vue'), meta: { title: '应收回款' } },
  { path: '/receivables/plans/:id(\\d+)', name: 'receivable-plan', component: () => import('./PlanDetailPage.vue'), meta: { title: '回款计划' } },
  { path: '/receivables/receipts', name: 'receipts', component: () => import('./ReceiptsPage.vue'), meta: { title: '回款' } },
  { path: '/receivables/receipts/new', name: 'receipt-new', component: () => import('./ReceiptFormPage.vue'), meta: { title: '登记回款' } },
  { path: '/receivables/receipts/import', name: 'receipt-import', component: () => import('./ReceiptImportPage.vue'), meta: { title: '导入银行流水' } },
  { path: '/receivables/receipts/:id(\\d+)', name: 'receipt-detail', component: () => import('./ReceiptDetailPage.vue'), meta: { title: '回款详情' } },
  { path: '/receivables/invoice-requests', name: 'invoice-requests', component: () => import('./InvoiceRequestsPage.vue'), meta: { title: '开票申请' } },
  { path: '/receivables/invoice-requests/new', name: 'invoice-request-new', component: () => import('./InvoiceRequestFormPage.vue'), meta: { title: '申请开票' } },
  { path: '/receivables/invoice-requests/:id(\\d+)', name: 'invoice-request-detail', component: () => import('./InvoiceRequestDetailPage.vue'), meta: { title: '开票申请' } },
  { path: '/receivables/statements', name: 'statements', component: () => import('./StatementsPage.vue'), meta: { title: '对账单' } },
  { path: '/receivables/statements/view', name: 'statement-view', component: () => import('./StatementPage.vue'), meta: { title: '对账单' } },
  { path: '/receivables/statements/:id(\\d+)', name: 'statement-detail', component: () => import('./StatementPage.vue'), meta: { title: '对账单' } },
  { path: '/receivables/disputes', name: 'statement-disputes', component: () => import('./DisputesPage.vue'), meta: { title: '对账异议' } },
  { path: '/receivables/settings', name: 'receivable-settings', component: () => import('./ReceivableSettingsPage.vue'), meta: { title: '应收设置' } },
  { path: '/receivables/documents', name: 'receivable-documents', component: () => import('./DocumentsPage.vue'), meta: { title: '发货与退货' } },
  { path: '/receivables/returns/new', name: 'return-new', component: () => import('./ReturnFormPage.vue'), meta: { title: '登记退货' } },
  { path: '/receivables/shipments/:id(\\d+)', name: 'shipment-detail', component: () => import('./DocumentDetailPage.vue'), meta: { title: '发货单', documentKind: 'shipment' } },
  { path: '/receivables/returns/:id(\\d+)', name: 'return-detail', component: () => import('./DocumentDetailPage.vue'), meta: { title: '退货单', documentKind: 'return' } },
  { path: '/receivables/consignment/:customerId(\\d+)', name: 'consignment-stock', component: () => import('./ConsignmentStockPage.vue'), meta: { title: '寄销库存' } },
  // Opened by a bookstore's clerk from the share link, outside DingTalk/WeCom and without an account.
  { path: '/statement-share/:token', name: 'statement-share', component: () => import('./PublicStatementPage.vue'), meta: { title: '对账单确认', public: true } },
];

export const shortcuts: Shortcut[] = [
  { title: '应收回款', icon: 'gold-coin-o', color: '#ee0a24', to: '/receivables', order: 50 },
  { title: '对账单', icon: 'notes-o', color: '#07c160', to: '/receivables/statements', order: 55, roles: ['finance', 'admin', 'manager', 'rep'] },
  { title: '应收设置', icon: 'setting-o', color: '#969799', to: '/receivables/settings', order: 92, roles: ['finance', 'admin'] },
];

export const workbenchSections: WorkbenchSection[] = [{ key: 'overdue-receivables', order: 20, component: () => import('./OverdueSection.vue') }];
