import type { ProjectSummary } from '@shared/api/project';
import { projectKindLabels, type ProjectKind } from '@shared/project-rules';

/** Tag colour of each project kind. */
export const projectKindColors: Record<ProjectKind, string> = {
  library_supply: '#1989fa',
  textbook_subscription: '#07c160',
  custom_publishing: '#7232dd',
  group_purchase: '#ff976a',
  other: '#969799',
};

/** Builds the line under a project's name: kind and customer. */
export function projectSubtitle(project: ProjectSummary): string {
  const parts = [projectKindLabels[project.kind], project.primaryCustomer?.name ?? '未关联客户'];
  return parts.join(' · ');
}

/** '当前：投标 · 3月20日到期', '当前：投标 · 已逾期（3月5日）', '全部里程碑已完成' or '尚未设置里程碑'. */
export function milestoneLine(project: Pick<ProjectSummary, 'currentMilestone' | 'milestoneCount'>): string {
  const current = project.currentMilestone;
  if (!current) return project.milestoneCount === 0 ? '尚未设置里程碑' : '全部里程碑已完成';
  if (!current.dueDate) return `当前：${current.name}`;
  const [, month, day] = current.dueDate.split('-').map(Number);
  const date = `${month}月${day}日`;
  return current.overdue ? `当前：${current.name} · 已逾期（${date}）` : `当前：${current.name} · ${date}到期`;
}
