/**
 * Access rules of projects. The service gathers the facts, and these predicates stay pure so each rule
 * has its own test.
 */
export interface ProjectAccessFacts {
  /** The project's owner is inside the actor's data scope (the actor, their subtree, or everyone). */
  ownerInScope: boolean;
  isMember: boolean;
}

/** Members see the project and what is linked to it, as does everyone whose scope covers the owner. */
export function canViewProject(facts: ProjectAccessFacts): boolean {
  return facts.ownerInScope || facts.isMember;
}

/** Editing the project, its members and milestones: the owner, the owner's managers and executives. */
export function canManageProject(facts: ProjectAccessFacts): boolean {
  return facts.ownerInScope;
}

/** Adding tasks, documents, links, deliveries and orders: anyone who manages the project plus its members. */
export function canContributeToProject(facts: ProjectAccessFacts): boolean {
  return facts.ownerInScope || facts.isMember;
}

/** A task may be changed by the project's managers, by its assignee (marking it done, adding notes) and by the member who created it. */
export function canEditTask(facts: ProjectAccessFacts, task: { assigneeId: number; createdBy: number }, actorId: number): boolean {
  return facts.ownerInScope || task.assigneeId === actorId || (facts.isMember && task.createdBy === actorId);
}

/** Returns after term start only: before it, a change of order is an order change, not a return. */
export function canRecordSubscriptionReturn(termStartDate: string, returnedDate: string): boolean {
  return returnedDate >= termStartDate;
}

/** Project number: XM-<year>-<sequence of that year, 4 digits or more>. */
export function formatProjectNumber(year: number, sequence: number): string {
  return `XM-${year}-${String(sequence).padStart(4, '0')}`;
}

/** Records of a project that belong to its kind only (book lists, deliveries, subscription orders and the like). */
export interface KindDataFacts {
  bookListLines: number;
  holdings: number;
  deliveryBatches: number;
  subscriptionOrders: number;
}

/**
 * Returns why a project cannot change away from its kind, or null when it can. A 馆配 project with a book
 * list, holdings or deliveries, and a 教材征订 project with orders, would lose that data under another kind.
 */
export function kindChangeBlocker(from: string, facts: KindDataFacts): string | null {
  if (from === 'library_supply') {
    const parts = [
      facts.bookListLines > 0 ? `书目 ${facts.bookListLines} 种` : '',
      facts.holdings > 0 ? `馆藏清单 ${facts.holdings} 条` : '',
      facts.deliveryBatches > 0 ? `配送批次 ${facts.deliveryBatches} 个` : '',
    ].filter(Boolean);
    if (parts.length > 0) return `馆配项目已有${parts.join('、')}，不能改为其他类型：如确需更改，请新建项目`;
  }
  if (from === 'textbook_subscription' && facts.subscriptionOrders > 0) {
    return `教材征订项目已有 ${facts.subscriptionOrders} 条征订订单，不能改为其他类型：如确需更改，请新建项目`;
  }
  return null;
}

/**
 * Tells whether the milestones are still the untouched defaults of a kind (same names in order, none done),
 * so a change of kind may swap them for the new kind's defaults without losing anything the user entered.
 */
export function milestonesAreUntouchedDefaults(milestones: readonly { name: string; doneDate: string | null; dueDate: string | null }[], defaults: readonly string[]): boolean {
  if (milestones.length !== defaults.length) return false;
  return milestones.every((milestone, index) => milestone.name === defaults[index] && milestone.doneDate === null && milestone.dueDate === null);
}
