import { TemplateError } from './template.error.js';
import { FLEET_DELIMITERS, type TemplateDelimiters } from './template.types.js';

/** Fleet's delimiters: `{ }` would clash with YAML flow mappings in fleet.yaml. */
export const LEFT_DELIM = FLEET_DELIMITERS.left;
export const RIGHT_DELIM = FLEET_DELIMITERS.right;

export type TokenType =
  | 'text'
  | 'open'
  | 'close'
  | 'field'
  | 'dot'
  | 'variable'
  | 'identifier'
  | 'string'
  | 'number'
  | 'pipe'
  | 'lparen'
  | 'rparen'
  | 'declare'
  | 'assign'
  | 'comma';

export interface Token {
  type: TokenType;
  /** Text for `text`; the name for field/variable/identifier; the decoded value for string; source for number. */
  value: string;
  /** Whitespace came before this token inside the action (separates operands: `.A.B` vs `.A .B`). */
  spaceBefore: boolean;
  /** 0-based offset in the template, for messages. */
  pos: number;
}

const SPACE = /[ \t\r\n]/;
const IDENT = /[A-Za-z0-9_]/;

/**
 * Splits a template into text and action tokens as Go's text/template lexer does, with `delims`
 * (default Fleet's `${ }`): `${-` / `-}` trim the whitespace next to them, `${/* … *\/}` is a comment.
 */
export function lexTemplate(src: string, delims: TemplateDelimiters = FLEET_DELIMITERS): Token[] {
  const { left, right } = delims;
  if (!left || !right) throw new TemplateError('template delimiters must not be empty');
  const tokens: Token[] = [];
  let pos = 0;
  let trimNextText = false;
  while (pos < src.length) {
    const open = src.indexOf(left, pos);
    let text = open < 0 ? src.slice(pos) : src.slice(pos, open);
    if (trimNextText) text = text.replace(/^[ \t\r\n]+/, '');
    const leftTrim = open >= 0 && src[open + left.length] === '-' && SPACE.test(src[open + left.length + 1] ?? '');
    if (leftTrim) text = text.replace(/[ \t\r\n]+$/, '');
    if (text) tokens.push({ type: 'text', value: text, spaceBefore: false, pos });
    if (open < 0) break;
    const start = open + left.length + (leftTrim ? 2 : 0);
    const comment = skipComment(src, start, right);
    if (comment !== undefined) {
      pos = comment.end;
      trimNextText = comment.trim;
      continue;
    }
    tokens.push({ type: 'open', value: left, spaceBefore: false, pos: open });
    const action = lexAction(src, start, right, tokens);
    pos = action.end;
    trimNextText = action.trim;
  }
  return tokens;
}

function skipComment(src: string, start: number, right: string): { end: number; trim: boolean } | undefined {
  // Go accepts a comment only right after the delimiter (and its trim marker).
  if (!src.startsWith('/*', start)) return undefined;
  const close = src.indexOf('*/', start + 2);
  if (close < 0) throw new TemplateError('unclosed comment');
  let q = close + 2;
  let trim = false;
  if (src.startsWith(' -' + right, q)) {
    trim = true;
    q += 2;
  }
  if (!src.startsWith(right, q)) throw new TemplateError('comment ends before closing delimiter');
  return { end: q + right.length, trim };
}

function lexAction(src: string, start: number, right: string, out: Token[]): { end: number; trim: boolean } {
  let p = start;
  let space = false;
  const push = (type: TokenType, value: string, at: number): void => {
    out.push({ type, value, spaceBefore: space, pos: at });
    space = false;
  };
  for (;;) {
    if (p >= src.length) throw new TemplateError(`unclosed action starting at offset ${start}`);
    const c = src[p]!;
    if (SPACE.test(c)) {
      // ` -}` closes the action and trims the text after it.
      let q = p;
      while (SPACE.test(src[q] ?? '')) q++;
      if (src[q] === '-' && src.startsWith(right, q + 1)) {
        out.push({ type: 'close', value: right, spaceBefore: true, pos: q });
        return { end: q + 1 + right.length, trim: true };
      }
      space = true;
      p = q;
      continue;
    }
    if (src.startsWith(right, p)) {
      push('close', right, p);
      return { end: p + right.length, trim: false };
    }
    if (c === '|') push('pipe', c, p++);
    else if (c === '(') push('lparen', c, p++);
    else if (c === ')') push('rparen', c, p++);
    else if (c === ',') push('comma', c, p++);
    else if (c === ':' && src[p + 1] === '=') {
      push('declare', ':=', p);
      p += 2;
    } else if (c === '=') push('assign', c, p++);
    else if (c === '"') p = lexQuoted(src, p, (v) => push('string', v, p));
    else if (c === '`') {
      const close = src.indexOf('`', p + 1);
      if (close < 0) throw new TemplateError('unterminated raw quoted string');
      push('string', src.slice(p + 1, close), p);
      p = close + 1;
    } else if (c === "'") p = lexChar(src, p, (v) => push('number', v, p));
    else if (c === '.' && !/[0-9]/.test(src[p + 1] ?? '')) {
      const name = readWhile(src, p + 1, IDENT);
      if (name) push('field', name, p);
      else push('dot', '.', p);
      p += 1 + name.length;
    } else if (c === '$') {
      const name = readWhile(src, p + 1, IDENT);
      push('variable', '$' + name, p);
      p += 1 + name.length;
    } else if (/[0-9+\-.]/.test(c)) {
      const m = /^[+-]?(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(?:[0-9][0-9_]*)?\.?[0-9][0-9_]*(?:[eE][+-]?[0-9]+)?)/.exec(
        src.slice(p),
      );
      if (!m || !m[0] || /[+-]/.test(m[0]) && m[0].length === 1) throw new TemplateError(`bad character ${JSON.stringify(c)} in action`);
      push('number', m[0], p);
      p += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const name = readWhile(src, p, IDENT);
      push('identifier', name, p);
      p += name.length;
    } else throw new TemplateError(`unexpected ${JSON.stringify(c)} in action`);
  }
}

function readWhile(src: string, from: number, re: RegExp): string {
  let p = from;
  while (p < src.length && re.test(src[p]!)) p++;
  return src.slice(from, p);
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0' };

function lexQuoted(src: string, start: number, emit: (v: string) => void): number {
  let p = start + 1;
  let value = '';
  for (;;) {
    const c = src[p];
    if (c === undefined || c === '\n') throw new TemplateError('unterminated quoted string');
    if (c === '"') break;
    if (c === '\\') {
      const [decoded, len] = decodeEscape(src, p);
      value += decoded;
      p += len;
      continue;
    }
    value += c;
    p++;
  }
  emit(value);
  return p + 1;
}

function decodeEscape(src: string, p: number): [string, number] {
  const e = src[p + 1] ?? '';
  if (e in ESCAPES) return [ESCAPES[e]!, 2];
  const hex = { x: 2, u: 4, U: 8 }[e];
  if (hex) {
    const digits = src.slice(p + 2, p + 2 + hex);
    if (!/^[0-9a-fA-F]+$/.test(digits) || digits.length !== hex) throw new TemplateError('invalid escape in string');
    return [String.fromCodePoint(parseInt(digits, 16)), 2 + hex];
  }
  throw new TemplateError(`unknown escape sequence \\${e}`);
}

function lexChar(src: string, start: number, emit: (v: string) => void): number {
  let p = start + 1;
  let ch: string;
  if (src[p] === '\\') {
    const [decoded, len] = decodeEscape(src, p);
    ch = decoded;
    p += len;
  } else {
    const cp = src.codePointAt(p);
    if (cp === undefined) throw new TemplateError('unterminated character constant');
    ch = String.fromCodePoint(cp);
    p += ch.length;
  }
  if (src[p] !== "'") throw new TemplateError('unterminated character constant');
  emit(String(ch.codePointAt(0)));
  return p + 1;
}
