import { describe, expect, it } from 'vitest';
import { redirectTargetOf } from './redirect-target';

describe('redirectTargetOf', () => {
  it('keeps an in-app path', () => {
    expect(redirectTargetOf({ redirect: '/customers?stage=won' })).toBe('/customers?stage=won');
  });

  it.each([['//evil.example/x'], ['https://evil.example'], [null], [['/a', '/b']]])('falls back to / for %j', (redirect) => {
    expect(redirectTargetOf({ redirect })).toBe('/');
  });

  it('falls back to / without a redirect', () => {
    expect(redirectTargetOf({})).toBe('/');
  });
});
