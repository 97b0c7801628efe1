import { Composer, Lexer, LineCounter, Parser, type CST, type Document } from 'yaml';
import { firstCollectionDeeperThan } from './cst-depth.rules.js';
import { assertDepth, tooDeep } from './manifest-depth.rules.js';
import { ManifestError, type ManifestPosition } from './manifest.error.js';
import { manifestLimits, type ManifestLimits } from './manifest.limits.js';
import { checkObject, ObjectIdentitySet, type KubeObject } from './manifest-object.rules.js';

/** Directives (`%YAML`, `%TAG`) before one document: manifests hardly use any. */
const MAX_DIRECTIVES = 100;

export interface ParseManifestsOptions {
  /** How errors name the input: a file path or a field. Default `manifests`. */
  source?: string;
  /** Overrides of {@link DEFAULT_MANIFEST_LIMITS}. */
  limits?: Partial<ManifestLimits>;
  /** Filled in while parsing (also when it fails): how much work was done. */
  stats?: ParseStats;
}

/** Work counters of one parse, for benchmarks and tests that check work without timing it. */
export interface ParseStats {
  /** Lexical tokens read; reading stops at the first excess. */
  lexemes: number;
}

/**
 * Parses multi-document YAML (JSON included) into Kubernetes objects (pure).
 *
 * One pass, one document at a time (`yaml`'s Lexer → Parser → Composer, lines
 * from a LineCounter): work is linear in the input and memory bounded by the
 * longest document; each document is checked as soon as it is composed, and
 * reading stops at the first excess (too deep, too long, too many documents,
 * a stray token) instead of after holding everything. Empty documents count
 * against `maxDocuments` but yield no object. Every error is a
 * {@link ManifestError} naming the source, the document and the line (1-based).
 */
export function parseManifests(text: string, options: ParseManifestsOptions = {}): KubeObject[] {
  const source = options.source ?? 'manifests';
  const limits = manifestLimits(options.limits);
  assertSize(text, limits.maxBytes, source);

  const lines = new LineCounter();
  const line = (offset: number) => lines.linePos(offset).line;
  const composer = new Composer({ uniqueKeys: true });
  const objects: KubeObject[] = [];
  const identities = new ObjectIdentitySet();
  let tokenDocuments = 0;
  let composed = 0;

  /** Limits a document's syntax tree breaks, checked before it is composed (composing recurses per level). */
  const documentExcess = (token: CST.Document, document: number): ManifestError | undefined => {
    const where = { source, document, line: line(token.offset) };
    if (document > limits.maxDocuments) return new ManifestError('TooManyDocuments', where, `more than ${limits.maxDocuments} documents (empty ones included)`);
    const tooDeepAt = firstCollectionDeeperThan(token, limits.maxDepth);
    return tooDeepAt === undefined ? undefined : tooDeep(limits.maxDepth, { ...where, line: line(tooDeepAt) });
  };

  const take = (doc: Document.Parsed) => {
    composed++;
    const error = doc.errors[0];
    if (error) throw new ManifestError('InvalidYaml', { source, document: composed, line: line(error.pos[0]) }, firstLine(error.message), { cause: error });
    const where: ManifestPosition = { source, document: composed, line: line(doc.contents?.range[0] ?? doc.range[0]) };
    const value = toJS(doc, limits, where);
    if (value === null || value === undefined) return;
    if (objects.length >= limits.maxObjects) throw new ManifestError('TooManyObjects', where, `more than ${limits.maxObjects} objects`);
    assertDepth(value, limits.maxDepth, where);
    const object = checkObject(value, where);
    identities.add(object, where);
    objects.push(object);
  };

  const fail = (excess: ManifestError, offset: number): never => {
    // The composer still holds the previous document: a problem there comes first.
    for (const doc of composer.end(false, offset)) take(doc);
    throw excess;
  };
  let documentStart = 0;
  let directives = 0;
  /** One top-level token of the parser: documents are checked, then composed; nothing piles up between them. */
  const handle = (token: CST.Token) => {
    switch (token.type) {
      case 'document': {
        const excess = documentExcess(token, ++tokenDocuments);
        if (excess) fail(excess, token.offset);
        documentStart = parser.offset;
        directives = 0;
        break;
      }
      case 'directive':
        if (++directives > MAX_DIRECTIVES) fail(new ManifestError('InvalidYaml', { source, document: tokenDocuments + 1, line: line(token.offset) }, `more than ${MAX_DIRECTIVES} directives before a document`), token.offset);
        break;
      case 'doc-end':
        break;
      case 'comment':
      case 'space':
      case 'newline':
      case 'byte-order-mark':
        // Only comments for a document's commentBefore: not needed, and the composer would keep them all.
        return;
      default: {
        // A stray token (`]` at the top, …): the composer would only collect one error per token.
        const message = token.type === 'error' ? token.message : `unexpected ${'source' in token ? JSON.stringify(token.source) : token.type} outside a document`;
        fail(new ManifestError('InvalidYaml', { source, document: Math.max(tokenDocuments, 1), line: line(token.offset) }, firstLine(message)), token.offset);
      }
    }
    for (const doc of composer.next(token)) take(doc);
  };

  const stats = options.stats ?? { lexemes: 0 };
  stats.lexemes = 0;
  const parser = new Parser(lines.addNewLine);
  lines.addNewLine(0);
  // The parser's stack holds the document and the collections open around the
  // current token: past twice the depth limit, stop reading. A document's
  // syntax tree is only complete at its end, which unclosed `[[[[…` may never
  // reach; the exact depth is checked on the tree and on the value.
  const maxStack = 2 * limits.maxDepth + 2;
  for (const lexeme of new Lexer().lex(text)) {
    stats.lexemes++;
    for (const token of parser.next(lexeme)) handle(token);
    if (parser.stack.length > maxStack) fail(tooDeep(limits.maxDepth, { source, document: tokenDocuments + 1, line: line(parser.offset) }), parser.offset);
    if (parser.offset - documentStart > limits.maxDocumentLength) {
      fail(new ManifestError('DocumentTooLarge', { source, document: tokenDocuments + 1, line: line(documentStart) }, `longer than ${limits.maxDocumentLength} characters`), parser.offset);
    }
  }
  for (const token of parser.end()) handle(token);
  for (const doc of composer.end(false, text.length)) take(doc);
  const streamError = composer.streamInfo().errors[0];
  if (streamError) throw new ManifestError('InvalidYaml', { source, document: composed + 1, line: line(streamError.pos[0]) }, firstLine(streamError.message));
  return objects;
}

function toJS(doc: Document.Parsed, limits: ManifestLimits, where: ManifestPosition): unknown {
  try {
    return doc.toJS({ maxAliasCount: limits.maxAliasCount });
  } catch (error) {
    // Aliases can nest an anchor inside another past what the syntax showed.
    if (error instanceof RangeError) throw tooDeep(limits.maxDepth, where);
    throw new ManifestError('InvalidYaml', where, firstLine((error as Error).message), { cause: error });
  }
}

function assertSize(text: string, maxBytes: number, source: string): void {
  const bytes = utf8Length(text, maxBytes);
  if (bytes > maxBytes) throw new ManifestError('ManifestTooLarge', { source }, `more than ${maxBytes} bytes`);
}

/** UTF-8 length of `text`, counted only as far as needed to know whether it exceeds `max`. */
function utf8Length(text: string, max: number): number {
  if (text.length > max) return text.length;
  if (text.length * 3 <= max) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length && bytes <= max; i++) {
    const c = text.charCodeAt(i);
    // A surrogate pair is 4 bytes, 2 per half.
    bytes += c < 0x80 ? 1 : c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 2 : 3;
  }
  return bytes;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
