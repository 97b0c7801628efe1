import type { BlockNode, Command, Operand, Pipeline, TemplateNode } from './template.ast.js';
import { TemplateError } from './template.error.js';
import type { FunctionMap, TemplateData, TemplateLimits } from './template.types.js';
import { formatValue, isPlainObject, isTruthy, typeName } from './template.values.js';

const BREAK = Symbol('break');
const CONTINUE = Symbol('continue');

/**
 * Executes a parsed template as Go's text/template does with `Option("missingkey=error")`:
 * a field the data lacks (`.ClusterLabels.env` on a cluster without `env`) is an error.
 */
export function executeTemplate(nodes: TemplateNode[], data: TemplateData, funcs: FunctionMap, limits: TemplateLimits): string {
  const state = new State(data, funcs, limits);
  state.walkList(nodes, data, 0);
  return state.out.join('');
}

class State {
  readonly out: string[] = [];
  private outLength = 0;
  private iterations = 0;
  private readonly vars: { name: string; value: unknown }[];

  constructor(
    root: TemplateData,
    private readonly funcs: FunctionMap,
    private readonly limits: TemplateLimits,
  ) {
    this.vars = [{ name: '$', value: root }];
  }

  walkList(nodes: TemplateNode[], dot: unknown, depth: number): void {
    const mark = this.vars.length;
    try {
      for (const node of nodes) this.walk(node, dot, depth);
    } finally {
      this.vars.length = mark;
    }
  }

  private walk(node: TemplateNode, dot: unknown, depth: number): void {
    if (depth > this.limits.maxDepth) throw new TemplateError(`template nested deeper than ${this.limits.maxDepth}`);
    switch (node.kind) {
      case 'text':
        return this.write(node.text);
      case 'action': {
        const value = this.evalPipeline(node.pipe, dot, depth);
        // Go prints nothing for an action that only declares or assigns a variable.
        if (node.pipe.vars.length === 0) this.write(formatValue(value));
        return;
      }
      case 'if':
      case 'with': {
        const mark = this.vars.length;
        const value = this.evalPipeline(node.pipe, dot, depth);
        try {
          if (isTruthy(value)) this.walkList(node.list, node.kind === 'with' ? value : dot, depth + 1);
          else if (node.elseList) this.walkList(node.elseList, dot, depth + 1);
        } finally {
          this.vars.length = mark;
        }
        return;
      }
      case 'range':
        return this.range(node, dot, depth);
      case 'break':
        throw BREAK;
      case 'continue':
        throw CONTINUE;
    }
  }

  private range(node: BlockNode, dot: unknown, depth: number): void {
    const mark = this.vars.length;
    const vars = node.pipe.vars;
    const value = this.evalPipeline({ ...node.pipe, vars: [] }, dot, depth);
    const entries = rangeEntries(value, this.limits.maxRangeIterations);
    try {
      if (entries.length === 0) {
        if (node.elseList) this.walkList(node.elseList, dot, depth + 1);
        return;
      }
      for (const [key, elem] of entries) {
        if (++this.iterations > this.limits.maxRangeIterations) {
          throw new TemplateError(`range ran more than ${this.limits.maxRangeIterations} iterations`);
        }
        this.vars.length = mark;
        if (vars.length === 1) this.vars.push({ name: vars[0]!, value: elem });
        if (vars.length === 2) this.vars.push({ name: vars[0]!, value: key }, { name: vars[1]!, value: elem });
        try {
          this.walkList(node.list, elem, depth + 1);
        } catch (e) {
          if (e === BREAK) break;
          if (e !== CONTINUE) throw e;
        }
      }
    } finally {
      this.vars.length = mark;
    }
  }

  private write(s: string): void {
    this.outLength += s.length;
    if (this.outLength > this.limits.maxOutputLength) {
      throw new TemplateError(`template output larger than ${this.limits.maxOutputLength} characters`, 'OutputTooLarge');
    }
    this.out.push(s);
  }

  private evalPipeline(pipe: Pipeline, dot: unknown, depth: number): unknown {
    if (depth > this.limits.maxDepth) throw new TemplateError(`template nested deeper than ${this.limits.maxDepth}`);
    let value: unknown;
    let hasFinal = false;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(cmd, dot, hasFinal, value, depth);
      hasFinal = true;
    }
    for (const name of pipe.vars) {
      if (pipe.assign) {
        const slot = [...this.vars].reverse().find((v) => v.name === name);
        if (!slot) throw new TemplateError(`undefined variable: ${name}`);
        slot.value = value;
      } else this.vars.push({ name, value });
    }
    return value;
  }

  private evalCommand(cmd: Command, dot: unknown, hasFinal: boolean, final: unknown, depth: number): unknown {
    const [first, ...rest] = cmd.args;
    if (first!.kind === 'function') return this.call(first!.name, rest, dot, hasFinal, final, depth);
    if (rest.length > 0 || hasFinal) {
      throw new TemplateError(`can't give argument to non-function ${describe(first!)}`);
    }
    if (first!.kind === 'nil') throw new TemplateError('nil is not a command');
    return this.evalOperand(first!, dot, depth);
  }

  private call(name: string, argNodes: Operand[], dot: unknown, hasFinal: boolean, final: unknown, depth: number): unknown {
    // and/or stop at the first decisive argument, as Go 1.18+ does.
    if (name === 'and' || name === 'or') {
      const nodes = argNodes;
      if (nodes.length + (hasFinal ? 1 : 0) === 0) throw new TemplateError(`wrong number of args for ${name}: want at least 1 got 0`);
      let last: unknown;
      for (const n of nodes) {
        last = this.evalArg(n, dot, depth);
        if (isTruthy(last) !== (name === 'and')) return last;
      }
      return hasFinal ? final : last;
    }
    const fn = this.funcs[name];
    if (!fn) throw new TemplateError(`function "${name}" not defined`);
    const args = argNodes.map((n) => this.evalArg(n, dot, depth));
    if (hasFinal) args.push(final);
    try {
      return fn(...args);
    } catch (e) {
      if (e instanceof TemplateError) throw new TemplateError(`error calling ${name}: ${e.message}`, e.kind);
      throw new TemplateError(`error calling ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private evalArg(node: Operand, dot: unknown, depth: number): unknown {
    if (node.kind === 'function') return this.call(node.name, [], dot, false, undefined, depth);
    if (node.kind === 'nil') return null;
    return this.evalOperand(node, dot, depth);
  }

  private evalOperand(node: Operand, dot: unknown, depth: number): unknown {
    switch (node.kind) {
      case 'dot':
        return dot;
      case 'literal':
        return node.value;
      case 'nil':
        return null;
      case 'field':
        return walkPath(dot, node.path, '');
      case 'variable': {
        const slot = [...this.vars].reverse().find((v) => v.name === node.name);
        if (!slot) throw new TemplateError(`undefined variable: ${node.name}`);
        return walkPath(slot.value, node.path, node.name);
      }
      case 'pipeline':
        return this.evalPipeline(node.pipe, dot, depth + 1);
      case 'chain':
        return walkPath(this.evalArg(node.operand, dot, depth + 1), node.path, '(…)');
      case 'function':
        return this.call(node.name, [], dot, false, undefined, depth);
    }
  }
}

/** `.A.B.C`: each step must be a map holding the key (missingkey=error). */
function walkPath(start: unknown, path: string[], prefix: string): unknown {
  let value = start;
  let at = prefix;
  for (const key of path) {
    if (value === undefined || value === null) throw new TemplateError(`nil pointer evaluating ${at || '.'}.${key}`);
    if (!isPlainObject(value)) throw new TemplateError(`can't evaluate field ${key} in type ${typeName(value)} (at ${at || '.'})`);
    if (!Object.hasOwn(value, key)) throw new TemplateError(`map has no entry for key "${key}" (at ${at}.${key})`);
    value = value[key];
    at = `${at}.${key}`;
  }
  return value;
}

function rangeEntries(value: unknown, max: number): [unknown, unknown][] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map((v, i) => [i, v]);
  if (isPlainObject(value)) return Object.keys(value).sort().map((k) => [k, value[k]]);
  if (typeof value === 'number' && Number.isInteger(value)) return Array.from({ length: Math.min(Math.max(0, value), max + 1) }, (_, i) => [i, i]);
  throw new TemplateError(`range can't iterate over ${formatValue(value)}`);
}

function describe(node: Operand): string {
  if (node.kind === 'field') return '.' + node.path.join('.');
  if (node.kind === 'variable') return node.name + node.path.map((p) => '.' + p).join('');
  if (node.kind === 'literal') return JSON.stringify(node.value);
  return node.kind;
}
