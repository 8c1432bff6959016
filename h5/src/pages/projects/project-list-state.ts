import { reactive } from 'vue';
import type { ProjectSummary } from '@shared/api/project';
import type { ProjectKind } from '@shared/project-rules';
import { fetchProjects } from '../../api/projects';
import { userMessageOf } from '../../components/error-message';

const pageSize = 20;

/** The project list outside the page, so returning from a project keeps items, filters and scroll position. */
export const projectList = reactive({
  kind: undefined as ProjectKind | undefined,
  mine: false,
  q: '',
  items: [] as ProjectSummary[],
  total: 0,
  state: 'idle' as 'idle' | 'loading' | 'done' | 'error',
  error: '',
  finished: false,
  scrollY: 0,
});

export async function loadMoreProjects(): Promise<void> {
  if (projectList.state === 'loading' || projectList.finished) return;
  projectList.state = 'loading';
  try {
    const page = await fetchProjects({
      kind: projectList.kind,
      scope: projectList.mine ? 'mine' : 'all',
      q: projectList.q.trim() || undefined,
      status: 'active',
      offset: projectList.items.length,
      limit: pageSize,
    });
    projectList.items.push(...page.items);
    projectList.total = page.total;
    projectList.finished = projectList.items.length >= page.total;
    projectList.state = 'done';
  } catch (error) {
    projectList.state = 'error';
    projectList.error = userMessageOf(error);
  }
}

export async function reloadProjects(): Promise<void> {
  Object.assign(projectList, { items: [], total: 0, state: 'idle', error: '', finished: false, scrollY: 0 });
  await loadMoreProjects();
}

/** After a change to a project, the list reloads when shown again. */
export function markProjectsChanged(): void {
  Object.assign(projectList, { items: [], total: 0, state: 'idle', error: '', finished: false, scrollY: 0 });
}
