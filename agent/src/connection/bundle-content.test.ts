import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AgentError } from '../errors.js';
import { ContentAssembler, verifyRevision } from './bundle-content.js';

const content = Buffer.from(JSON.stringify([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { x: 'y'.repeat(5000) } }]));
const revision = `sha256:${createHash('sha256').update(content).digest('hex')}`;

function chunks(buf: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) out.push(buf.subarray(i, i + size));
  return out;
}

function assemble(parts: Buffer[], rev = revision, totalSize = content.length): Buffer {
  const assembler = new ContentAssembler(rev);
  parts.forEach((chunk, i) => assembler.push({ chunk, totalSize: i === 0 ? totalSize : 0, revision: i === 0 ? rev : '' }));
  return assembler.finish();
}

function errorOf(fn: () => unknown): AgentError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AgentError);
    return error as AgentError;
  }
  throw new Error('expected an error');
}

describe('ContentAssembler', () => {
  it('concatenates chunks in order and verifies the digest', () => {
    expect(assemble(chunks(content, 1000)).equals(content)).toBe(true);
    expect(assemble([content]).equals(content)).toBe(true);
  });

  it('rejects content whose digest differs from the revision', () => {
    const tampered = Buffer.from(content);
    tampered[10] = tampered[10]! ^ 1;
    const error = errorOf(() => assemble(chunks(tampered, 1000)));
    expect(error.reason).toBe('ContentInvalid');
    expect(error.message).toMatch(new RegExp(`content of revision ${revision} has digest sha256:[0-9a-f]{64} \\(${content.length} bytes\\)`));
  });

  it('rejects a stream that ends early or sends too much', () => {
    expect(errorOf(() => assemble(chunks(content, 1000).slice(0, 2))).message).toMatch(/received 2000 of \d+ bytes; the stream ended early/);
    expect(errorOf(() => assemble(chunks(content, 1000), revision, 1500)).message).toMatch(/more than the announced 1500/);
    expect(errorOf(() => assemble([])).message).toMatch(/sent no content/);
  });

  it('rejects malformed revisions and a different revision from the hub', () => {
    expect(errorOf(() => new ContentAssembler('md5:abc')).message).toMatch(/not sha256:<64 hex digits>/);
    const other = `sha256:${'0'.repeat(64)}`;
    const assembler = new ContentAssembler(revision);
    expect(errorOf(() => assembler.push({ chunk: content, totalSize: content.length, revision: other })).message).toMatch(/the hub sent sha256:0+/);
  });

  it('verifyRevision accepts matching content', () => {
    expect(() => verifyRevision(revision, content)).not.toThrow();
  });
});
