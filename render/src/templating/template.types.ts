/** The data a `${ }` template reads: Fleet's context for a cluster, or any JSON-like value. */
export type TemplateData = unknown;

/** Bounds on one template evaluation; every limit fails with RenderError rather than hanging or exhausting memory. */
export interface TemplateLimits {
  /** Longest template text accepted. Default 1 MiB (a whole `helm.values` document is one template). */
  maxTemplateLength: number;
  /** Largest output. Default 1 MiB; exceeding it is `OutputTooLarge`. */
  maxOutputLength: number;
  /** Total `range` iterations per evaluation. Default 10,000. */
  maxRangeIterations: number;
  /** Deepest nesting of actions and parenthesised pipelines. Default 100. */
  maxDepth: number;
}

export const DEFAULT_TEMPLATE_LIMITS: TemplateLimits = {
  maxTemplateLength: 1024 * 1024,
  maxOutputLength: 1024 * 1024,
  maxRangeIterations: 10_000,
  maxDepth: 100,
};

/** The strings that open and close an action. */
export interface TemplateDelimiters {
  /** Opens an action, e.g. `${` (Fleet) or `{{` (Go's default, BundleSet templates). */
  left: string;
  /** Closes an action, e.g. `}` (Fleet) or `}}`. */
  right: string;
}

/** Fleet's delimiters: `{ }` would clash with YAML flow mappings in fleet.yaml. The engine's default. */
export const FLEET_DELIMITERS: Readonly<TemplateDelimiters> = Object.freeze({ left: '${', right: '}' });

/** Go text/template's own delimiters, as Argo CD ApplicationSet templates use them. */
export const GO_DELIMITERS: Readonly<TemplateDelimiters> = Object.freeze({ left: '{{', right: '}}' });

/** A template function: receives evaluated arguments (a piped value comes last, as in Go). */
export type TemplateFunction = (...args: unknown[]) => unknown;

/** Functions by name, as Go's `template.FuncMap`. */
export type FunctionMap = Readonly<Record<string, TemplateFunction>>;
