import { describe, expect, it } from 'vitest';
import { clipJson, clipText } from './report-text.js';

describe('clipText', () => {
  it('keeps text within the bound and cuts longer text with a marker', () => {
    expect(clipText('short', 20)).toBe('short');
    expect(clipText('x'.repeat(30), 20)).toBe(`${'x'.repeat(7)}… (truncated)`);
    expect(clipText('x'.repeat(30), 20)).toHaveLength(20);
  });

  it('does not split a surrogate pair', () => {
    const clipped = clipText(`${'x'.repeat(6)}😀${'y'.repeat(30)}`, 20);
    expect(clipped).toBe(`${'x'.repeat(6)}… (truncated)`);
  });
});

describe('clipJson', () => {
  it('keeps JSON within the bound unchanged', () => {
    expect(clipJson('{"a":1}', 100)).toBe('{"a":1}');
  });

  it('cuts longer JSON into a JSON string within the bound, even when escaping grows it', () => {
    for (const value of ['"'.repeat(1000), 'a'.repeat(1000), '\\'.repeat(999)]) {
      const json = JSON.stringify(value);
      const clipped = clipJson(json, 200);
      expect(clipped.length).toBeLessThanOrEqual(200);
      const text = JSON.parse(clipped) as string;
      expect(text.endsWith(`… (truncated, ${json.length} characters)`)).toBe(true);
      expect(json.startsWith(text.slice(0, text.indexOf('…')))).toBe(true);
    }
  });
});
