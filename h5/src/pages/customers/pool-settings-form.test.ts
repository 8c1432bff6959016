import { describe, expect, it } from 'vitest';
import { readPoolSettingsForm, toPoolSettingsForm } from './pool-settings-form';

const settings = { claimLimit: 200, returnDays: { default: 90, byType: { library: 180 } }, noticeDaysBefore: 7, reclaimCooldownDays: 30 };

describe('pool settings form', () => {
  it('round-trips saved settings', () => {
    const form = toPoolSettingsForm(settings);
    expect(form.returnByType.library).toBe('180');
    expect(form.returnByType.school).toBe('');
    expect(readPoolSettingsForm(form)).toEqual({ settings, errors: null });
  });

  it('drops an emptied type override', () => {
    const form = toPoolSettingsForm(settings);
    form.returnByType.library = ' ';
    expect(readPoolSettingsForm(form).settings?.returnDays.byType).toEqual({});
  });

  it('names each invalid field in Chinese', () => {
    const form = { ...toPoolSettingsForm(settings), claimLimit: '', returnDefault: '1.5' };
    form.returnByType.school = '0';
    const { errors } = readPoolSettingsForm(form);
    expect(errors?.claimLimit).toBe('请填写领取上限（整数）');
    expect(errors?.['returnDays.default']).toBe('默认退回天数须为整数');
    expect(errors?.['returnDays.byType.school']).toBe('退回天数不能少于 1 天');
  });

  it('rejects a notice not before the shortest return', () => {
    const form = { ...toPoolSettingsForm(settings), returnDefault: '30', noticeDaysBefore: '30' };
    expect(readPoolSettingsForm(form).errors?.noticeDaysBefore).toContain('提前提醒天数须小于最短的退回天数（默认 30 天）');
  });
});
