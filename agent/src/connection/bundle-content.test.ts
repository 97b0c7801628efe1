import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AgentError } from '../errors.js';
import { ContentAssembler, ContentsAssembler, verifyRevision } from './bundle-content.js';

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

describe('ContentsAssembler', () => {
  const other = Buffer.from('[{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"b"}}]');
  const otherRevision = `sha256:${createHash('sha256').update(other).digest('hex')}`;
  const messages = (buf: Buffer, rev: string, size: number) =>
    chunks(buf, size).map((chunk, i) => ({ chunk, totalSize: i === 0 ? buf.length : 0, revision: i === 0 ? rev : '' }));

  it('splits one stream into its revisions, each verified', () => {
    const assembler = new ContentsAssembler([revision, otherRevision]);
    for (const m of [...messages(content, revision, 1000), ...messages(other, otherRevision, 10)]) assembler.push(m);
    const out = assembler.finish();
    expect(out.get(revision)?.equals(content)).toBe(true);
    expect(out.get(otherRevision)?.equals(other)).toBe(true);
  });

  it('refuses revisions out of order, missing, unasked or without a name', () => {
    const outOfOrder = new ContentsAssembler([revision, otherRevision]);
    expect(errorOf(() => outOfOrder.push(messages(other, otherRevision, 100)[0]!)).message).toBe(`expected revision ${revision} next, the hub sent ${otherRevision}`);

    const short = new ContentsAssembler([revision, otherRevision]);
    for (const m of messages(content, revision, 1000)) short.push(m);
    expect(errorOf(() => short.finish()).message).toBe(`the stream ended before revision ${otherRevision} (1 of 2 not sent)`);

    const unasked = new ContentsAssembler([revision]);
    for (const m of messages(content, revision, 1000)) unasked.push(m);
    expect(errorOf(() => unasked.push(messages(other, otherRevision, 100)[0]!)).message).toBe(`the hub sent revision ${otherRevision}, which was not asked for`);

    const nameless = new ContentsAssembler([revision]);
    expect(errorOf(() => nameless.push({ chunk: content, totalSize: content.length, revision: '' })).reason).toBe('ContentInvalid');
  });

  it('verifies each revision: a corrupted one fails with its digest', () => {
    const assembler = new ContentsAssembler([revision, otherRevision]);
    for (const m of messages(content, revision, 1000)) assembler.push(m);
    const bad = Buffer.from(other);
    bad[5] = 0x20;
    for (const m of messages(bad, otherRevision, 100)) assembler.push(m);
    expect(errorOf(() => assembler.finish()).message).toMatch(new RegExp(`content of revision ${otherRevision} has digest`));
  });
});
