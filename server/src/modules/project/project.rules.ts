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
