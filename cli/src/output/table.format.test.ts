import { describe, expect, it } from 'vitest';
import { formatAge } from './age.format.js';
import { formatTable } from './table.format.js';

describe('formatTable', () => {
  it('pads columns to their widest cell, three spaces apart, <none> for empty cells', () => {
    expect(formatTable(['NAME', 'LABELS', 'AGE'], [['web', 'env=prod', '3d'], ['database-eu', '', '12s']])).toBe(
      'NAME          LABELS     AGE\nweb           env=prod   3d\ndatabase-eu   <none>     12s\n',
    );
  });
});

describe('formatAge', () => {
  const now = new Date('2026-01-10T12:00:00Z');
  it.each([
    ['2026-01-10T11:59:15Z', '45s'],
    ['2026-01-10T11:58:01Z', '119s'],
    ['2026-01-10T11:58:00Z', '2m'],
    ['2026-01-10T11:30:00Z', '30m'],
    ['2026-01-10T07:00:00Z', '5h'],
    ['2026-01-07T12:00:00Z', '3d'],
    ['2023-01-01T00:00:00Z', '3y'],
    ['2026-01-10T12:00:05Z', '0s'],
  ])('%s is %s ago', (iso, age) => expect(formatAge(iso, now)).toBe(age));
  it('says never for null', () => expect(formatAge(null, now)).toBe('never'));
});
