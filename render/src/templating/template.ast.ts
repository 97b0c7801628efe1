/** The parsed form of a `${ }` template (a subset of Go's text/template parse tree). */
export type TemplateNode =
  | { kind: 'text'; text: string }
  | { kind: 'action'; pipe: Pipeline }
  | BlockNode
  | { kind: 'break' | 'continue' };

/** `if`, `with` and `range`: a pipeline, a body and an optional `else` body. */
export interface BlockNode {
  kind: 'if' | 'with' | 'range';
  pipe: Pipeline;
  list: TemplateNode[];
  elseList?: TemplateNode[];
}

/** `$x := cmd | cmd …`. */
export interface Pipeline {
  /** Variables declared (`:=`) or assigned (`=`) by the pipeline, e.g. `$i, $e` in a range. */
  vars: string[];
  assign: boolean;
  cmds: Command[];
}

export interface Command {
  args: Operand[];
}

export type Operand =
  | { kind: 'dot' }
  | { kind: 'field'; path: string[] }
  | { kind: 'variable'; name: string; path: string[] }
  | { kind: 'chain'; operand: Operand; path: string[] }
  | { kind: 'function'; name: string }
  | { kind: 'pipeline'; pipe: Pipeline }
  | { kind: 'literal'; value: string | number | boolean }
  | { kind: 'nil' };
