import { approvalStatusLabels, type ApprovalStatus, type TaskStatus, taskStatusLabels } from '@shared/approval-rules';

/** Display helpers of the approval pages. Times are shown in the publisher's zone whatever the phone's zone is. */

const TIME_ZONE = 'Asia/Shanghai';

function parts(instant: string | Date): Record<string, string> {
  const formatted = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(
    typeof instant === 'string' ? new Date(instant) : instant,
  );
  return Object.fromEntries(formatted.map((part) => [part.type, part.value]));
}

/** '今天 14:32', '03-08 16:20', or '2025-12-30 09:00' for another year. */
export function formatApprovalTime(instant: string, now: Date = new Date()): string {
  const p = parts(instant);
  const today = parts(now);
  const time = `${p.hour}:${p.minute}`;
  if (p.year === today.year && p.month === today.month && p.day === today.day) return `今天 ${time}`;
  return p.year === today.year ? `${p.month}-${p.day} ${time}` : `${p.year}-${p.month}-${p.day} ${time}`;
}

/** How long a task has waited: '3 小时', '2 天'. Under an hour reads '不到 1 小时'. */
export function formatWaited(since: string, now: Date = new Date()): string {
  const hours = Math.floor((now.getTime() - Date.parse(since)) / 3_600_000);
  if (hours < 1) return '不到 1 小时';
  if (hours < 48) return `${hours} 小时`;
  return `${Math.floor(hours / 24)} 天`;
}

/** Vant tag type for an approval state. */
export function statusTagType(status: ApprovalStatus): 'primary' | 'success' | 'danger' | 'default' {
  if (status === 'pending') return 'primary';
  if (status === 'approved') return 'success';
  if (status === 'rejected') return 'danger';
  return 'default';
}

export function statusLabel(status: ApprovalStatus): string {
  return approvalStatusLabels[status];
}

export function taskLabel(status: TaskStatus): string {
  return taskStatusLabels[status];
}

/** The first 8 and last 4 characters of a sha256, enough to compare by eye with the seal page. */
export function shortHash(hash: string): string {
  return `${hash.slice(0, 8)}…${hash.slice(-4)}`;
}

export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
