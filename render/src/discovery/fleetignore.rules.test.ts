import { describe, expect, it } from 'vitest';
import { isFleetIgnored, parseFleetIgnore } from './fleetignore.rules.js';

describe('parseFleetIgnore', () => {
  it('drops blank lines and comments and trims unescaped trailing spaces', () => {
    expect(parseFleetIgnore('# c\n\n*.md  \nkeep\\ \r\nsecrets/*\n')).toEqual(['*.md', 'keep\\ ', 'secrets/*']);
  });
});

describe('isFleetIgnored (filepath.Match on the base name)', () => {
  it.each([
    ['*.md', 'README.md', false, true],
    ['*.md', 'README.mdx', false, false],
    ['secret-?.yaml', 'secret-1.yaml', false, true],
    ['secret-[0-9].yaml', 'secret-a.yaml', false, false],
    ['cache', 'cache', true, true],
    ['cache/*', 'cache', true, true],
    ['cache/*', 'cache', false, false],
    ['a/b.yaml', 'b.yaml', false, false],
    ['**', 'x.yaml', false, true],
    ['!x.yaml', 'y.yaml', false, false],
    ['{a,b}.yaml', 'a.yaml', false, false],
  ])('%s vs %s (dir %s) → %s', (pattern, name, isDir, want) => {
    expect(isFleetIgnored(name, isDir, [pattern])).toBe(want);
  });
});
