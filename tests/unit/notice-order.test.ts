import { describe, expect, it } from 'vitest';
import { orderNotices } from '../../src/lib/pwa/notice-order.ts';

describe('orderNotices', () => {
  it('puts a notice that appears below those already shown', () => {
    expect(orderNotices([], ['status'])).toEqual(['status']);
    expect(orderNotices(['install'], ['status', 'install'])).toEqual(['install', 'status']);
    expect(orderNotices(['status'], ['status', 'install'])).toEqual(['status', 'install']);
  });

  it('drops a notice that is no longer due and keeps the others in place', () => {
    expect(orderNotices(['install', 'status'], ['status'])).toEqual(['status']);
    expect(orderNotices(['status', 'install'], [])).toEqual([]);
  });

  it('shows a notice again at the end when it comes back', () => {
    const afterDismiss = orderNotices(['status', 'install'], ['install']);
    expect(orderNotices(afterDismiss, ['status', 'install'])).toEqual(['install', 'status']);
  });
});
