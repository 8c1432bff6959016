import { poolSettingsInputSchema, type PoolSettings } from '@shared/api/customer-pool';
import { customerTypes, type CustomerType } from '@shared/customer-rules';
import { fieldErrorsOf } from './customer-form';

/**
 * The pool rules as the form edits them: every number as typed, and an empty per-type field for "same
 * as the default". Errors are keyed by the schema path ('returnDays.byType.library').
 */
export interface PoolSettingsForm {
  claimLimit: string;
  reclaimCooldownDays: string;
  returnDefault: string;
  returnByType: Record<CustomerType, string>;
  noticeDaysBefore: string;
}

export function toPoolSettingsForm(settings: PoolSettings): PoolSettingsForm {
  const returnByType = Object.fromEntries(customerTypes.map((type) => [type, settings.returnDays.byType[type]?.toString() ?? ''])) as Record<CustomerType, string>;
  return {
    claimLimit: String(settings.claimLimit),
    reclaimCooldownDays: String(settings.reclaimCooldownDays),
    returnDefault: String(settings.returnDays.default),
    returnByType,
    noticeDaysBefore: String(settings.noticeDaysBefore),
  };
}

/** Converts a typed number: empty gives undefined, which the schema reports as missing, and other non-numbers give NaN. */
function numberOf(text: string): number | undefined {
  const trimmed = text.trim();
  return trimmed === '' ? undefined : Number(trimmed);
}

/** Checks the form with the schema the server applies, and returns the settings to save or the errors by field. */
export function readPoolSettingsForm(form: PoolSettingsForm): { settings: PoolSettings; errors: null } | { settings: null; errors: Record<string, string> } {
  const byType: Partial<Record<CustomerType, number | undefined>> = {};
  for (const type of customerTypes) {
    if (form.returnByType[type].trim() !== '') byType[type] = numberOf(form.returnByType[type]);
  }

  const parsed = poolSettingsInputSchema.safeParse({
    claimLimit: numberOf(form.claimLimit),
    reclaimCooldownDays: numberOf(form.reclaimCooldownDays),
    returnDays: { default: numberOf(form.returnDefault), byType },
    noticeDaysBefore: numberOf(form.noticeDaysBefore),
  });
  return parsed.success ? { settings: parsed.data, errors: null } : { settings: null, errors: fieldErrorsOf(parsed.error) };
}
