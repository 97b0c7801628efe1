import type { Command, Operand, Pipeline, TemplateNode } from './template.ast.js';
import { TemplateError } from './template.error.js';
import { lexTemplate, type Token } from './template.lexer.js';
import { FLEET_DELIMITERS, type TemplateDelimiters } from './template.types.js';

/** Parses a template (default delimiters Fleet's `${ }`). Unknown functions are parse errors, as in Go. */
export function parseTemplate(
  src: string,
  isFunction: (name: string) => boolean,
  maxDepth: number,
  delims: TemplateDelimiters = FLEET_DELIMITERS,
): TemplateNode[] {
  const parser = new Parser(lexTemplate(src, delims), isFunction, maxDepth, delims.right);
  const { list, end } = parser.list(0);
  if (end) throw new TemplateError(`unexpected {{${end}}}`);
  return list;
}

const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'break', 'continue', 'define', 'template', 'block']);

class Parser {
  private i = 0;
  private rangeDepth = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly isFunction: (name: string) => boolean,
    private readonly maxDepth: number,
    private readonly rightDelim: string,
  ) {}

  /** Parses nodes until `${ end }`, `${ else … }` or the end of input; returns which stopped it. */
  list(depth: number): { list: TemplateNode[]; end?: 'end' | 'else' } {
    if (depth > this.maxDepth) throw new TemplateError(`template nested deeper than ${this.maxDepth}`);
    const list: TemplateNode[] = [];
    for (let t = this.peek(); t; t = this.peek()) {
      if (t.type === 'text') {
        list.push({ kind: 'text', text: t.value });
        this.i++;
        continue;
      }
      this.expect('open');
      const word = this.peek();
      if (word?.type === 'identifier' && KEYWORDS.has(word.value)) {
        if (word.value === 'end' || word.value === 'else') {
          this.i++;
          if (word.value === 'end') this.expect('close');
          return { list, end: word.value };
        }
        list.push(this.control(word.value, depth));
        continue;
      }
      const pipe = this.pipeline(true, depth);
      this.expect('close');
      list.push({ kind: 'action', pipe });
    }
    return { list };
  }

  private control(word: string, depth: number): TemplateNode {
    const at = this.next();
    if (word === 'break' || word === 'continue') {
      if (this.rangeDepth === 0) throw new TemplateError(`{{${word}}} outside {{range}}`);
      this.expect('close');
      return { kind: word };
    }
    if (word !== 'if' && word !== 'with' && word !== 'range') {
      throw new TemplateError(`{{${word}}} is not supported (offset ${at.pos})`);
    }
    const pipe = this.pipeline(true, depth);
    this.expect('close');
    if (word === 'range') this.rangeDepth++;
    const body = this.list(depth + 1);
    if (word === 'range') this.rangeDepth--;
    const node: TemplateNode = { kind: word, pipe, list: body.list };
    if (body.end === 'else') {
      const next = this.peek();
      // `else if` / `else with` chain: the rest is one nested node sharing this `end`.
      if (next?.type === 'identifier' && (next.value === 'if' || next.value === 'with') && word !== 'range') {
        node.elseList = [this.control(next.value, depth + 1)];
        return node;
      }
      this.expect('close');
      const elseBody = this.list(depth + 1);
      if (elseBody.end !== 'end') throw new TemplateError(`unexpected EOF: {{${word}}} without {{end}}`);
      node.elseList = elseBody.list;
    } else if (body.end !== 'end') throw new TemplateError(`unexpected EOF: {{${word}}} without {{end}}`);
    return node;
  }

  private pipeline(allowDecl: boolean, depth: number): Pipeline {
    if (depth > this.maxDepth) throw new TemplateError(`template nested deeper than ${this.maxDepth}`);
    const pipe: Pipeline = { vars: [], assign: false, cmds: [] };
    if (allowDecl) this.declarations(pipe);
    for (;;) {
      pipe.cmds.push(this.command(depth));
      if (this.peek()?.type !== 'pipe') break;
      this.i++;
    }
    return pipe;
  }

  private declarations(pipe: Pipeline): void {
    const save = this.i;
    const vars: string[] = [];
    while (this.peek()?.type === 'variable') {
      vars.push(this.next().value);
      const t = this.peek();
      if (t?.type === 'comma' && vars.length === 1) {
        this.i++;
        continue;
      }
      if (t?.type === 'declare' || t?.type === 'assign') {
        this.i++;
        pipe.vars = vars;
        pipe.assign = t.type === 'assign';
        return;
      }
      break;
    }
    this.i = save;
  }

  private command(depth: number): Command {
    const args: Operand[] = [];
    for (let t = this.peek(); t && !['pipe', 'close', 'rparen'].includes(t.type); t = this.peek()) {
      if (args.length > 0 && !t.spaceBefore && t.type !== 'lparen') throw new TemplateError(`missing space before ${t.value}`);
      args.push(this.operand(depth));
    }
    if (args.length === 0) throw new TemplateError('missing value for command');
    return { args };
  }

  private operand(depth: number): Operand {
    const term = this.term(depth);
    const path: string[] = [];
    while (this.peek()?.type === 'field' && !this.peek()!.spaceBefore) path.push(this.next().value);
    if (path.length === 0) return term;
    if (term.kind === 'field') return { kind: 'field', path: [...term.path, ...path] };
    if (term.kind === 'variable') return { kind: 'variable', name: term.name, path: [...term.path, ...path] };
    if (term.kind === 'dot') return { kind: 'field', path };
    return { kind: 'chain', operand: term, path };
  }

  private term(depth: number): Operand {
    const t = this.next();
    switch (t.type) {
      case 'dot':
        return { kind: 'dot' };
      case 'field':
        return { kind: 'field', path: [t.value] };
      case 'variable':
        return { kind: 'variable', name: t.value, path: [] };
      case 'string':
        return { kind: 'literal', value: t.value };
      case 'number':
        return { kind: 'literal', value: parseNumber(t.value) };
      case 'lparen': {
        const pipe = this.pipeline(true, depth + 1);
        this.expect('rparen');
        return { kind: 'pipeline', pipe };
      }
      case 'identifier':
        if (t.value === 'true' || t.value === 'false') return { kind: 'literal', value: t.value === 'true' };
        if (t.value === 'nil') return { kind: 'nil' };
        if (KEYWORDS.has(t.value)) throw new TemplateError(`unexpected keyword ${t.value} in operand`);
        if (!this.isFunction(t.value)) throw new TemplateError(`function "${t.value}" not defined`);
        return { kind: 'function', name: t.value };
      default:
        throw new TemplateError(`unexpected ${JSON.stringify(t.value)} in operand`);
    }
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private next(): Token {
    const t = this.tokens[this.i++];
    if (!t) throw new TemplateError('unexpected end of template');
    return t;
  }

  private expect(type: Token['type']): Token {
    const t = this.next();
    if (t.type !== type) throw new TemplateError(`unexpected ${JSON.stringify(t.value)}, expected ${type === 'close' ? `closing ${this.rightDelim}` : type}`);
    return t;
  }
}

function parseNumber(src: string): number {
  const clean = src.replace(/_/g, '');
  const sign = clean.startsWith('-') ? -1 : 1;
  const body = clean.replace(/^[+-]/, '');
  const n = /^0[xXbBoO]/.test(body) ? Number(body) : Number(body);
  if (Number.isNaN(n)) throw new TemplateError(`bad number syntax: ${src}`);
  return sign * n;
}
