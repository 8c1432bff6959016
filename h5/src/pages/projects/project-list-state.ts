import type { ProjectKind } from '@shared/project-rules';
import { fetchProjects } from '../../api/projects';
import { createPagedList, nextOffset } from '../../components/paged-list';

const pageSize = 20;

/** The project list outside the page, so returning from a project keeps items, filters and scroll position. */
const projects = createPagedList({ kind: undefined as ProjectKind | undefined, mine: false, q: '' }, async (filters, _cursor, loaded) => {
  const page = await fetchProjects({
    kind: filters.kind,
    scope: filters.mine ? 'mine' : 'all',
    q: filters.q.trim() || undefined,
    status: 'active',
    offset: loaded,
    limit: pageSize,
  });
  return { items: page.items, next: nextOffset(loaded, page.items.length, page.total) };
});

export const projectList = projects.list;
export const loadMoreProjects = projects.loadMore;
export const reloadProjects = projects.reload;
/** After a change to a project, the list reloads when shown again. */
export const markProjectsChanged = projects.markChanged;
