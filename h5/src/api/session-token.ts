import { z } from 'zod';

const STORAGE_KEY = 'crm.session';

const storedSessionSchema = z.object({
  token: z.string().min(1),
  expiresAt: z.string(),
});
export type StoredSession = z.infer<typeof storedSessionSchema>;

/** Return the saved session token, or null when none is saved or it has expired. */
export function loadSessionToken(): string | null {
  const raw = localStorage.getItem(STORAGE_KEY);
  if (raw === null) return null;

  const parsed = storedSessionSchema.safeParse(safeJsonParse(raw));
  if (!parsed.success) {
    localStorage.removeItem(STORAGE_KEY);
    return null;
  }

  const expiresAt = Date.parse(parsed.data.expiresAt);
  if (Number.isFinite(expiresAt) && expiresAt <= Date.now()) return null;

  return parsed.data.token;
}

export function saveSessionToken(session: StoredSession): void {
  localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
}

export function clearSessionToken(): void {
  localStorage.removeItem(STORAGE_KEY);
}

function safeJsonParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // A value written by an older build or by hand; treat it as no session.
    return null;
  }
}
