/**
 * Plain-English messages for zod issues whose schema gave none, passed to
 * every `safeParse` of a request part (zod applies a schema's own message
 * first). They say what was expected and, for a wrong type, what was sent —
 * never the value itself, which may be a secret.
 */

/** The message of a field that is absent; the pipe renders it as "<field> is required". */
export const REQUIRED = 'is required';

/** The raw issue zod hands to a per-parse error function (the fields we read). */
export interface RawIssue {
  code?: string;
  input?: unknown;
  expected?: string;
  format?: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  keys?: string[];
  values?: unknown[];
  inst?: unknown;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  bigint: 'an integer',
  boolean: 'true or false',
  object: 'an object',
  record: 'an object',
  array: 'an array',
  tuple: 'an array',
  null: 'null',
};

export function issueMessage(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return typeMessage(issue);
    case 'too_big':
      return sizeMessage(issue, 'most', issue.maximum);
    case 'too_small':
      return sizeMessage(issue, 'least', issue.minimum);
    case 'unrecognized_keys':
      return `unknown field${issue.keys!.length === 1 ? '' : 's'} ${issue.keys!.map((k) => JSON.stringify(k)).join(', ')}`;
    case 'invalid_value':
      return issue.values!.length === 1 ? `must be ${JSON.stringify(issue.values![0])}` : `must be one of ${issue.values!.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'regex' ? 'has an invalid format' : `must be a valid ${issue.format}`;
    case 'invalid_union':
      return 'does not match any of the allowed forms';
    default:
      return undefined;
  }
}

function typeMessage(issue: RawIssue): string {
  if (issue.input === undefined) return REQUIRED;
  const expected = issue.expected === 'number' && isIntegerSchema(issue.inst) ? 'int' : (issue.expected ?? '');
  const wanted = `must be ${TYPE_NAMES[expected] ?? `of type ${expected}`}`;
  // 61.5 for an integer: the type was right, the value is not whole.
  if (expected === 'int' && typeof issue.input === 'number') return wanted;
  return `${wanted}, not ${describe(issue.input)}`;
}

function sizeMessage(issue: RawIssue, bound: 'most' | 'least', limit: number | bigint | undefined): string | undefined {
  if (limit === undefined) return undefined;
  const exclusive = issue.inclusive === false;
  switch (issue.origin) {
    case 'number':
    case 'int':
    case 'bigint':
      return exclusive ? `must be ${bound === 'most' ? 'less' : 'greater'} than ${limit}` : `must be at ${bound} ${limit}`;
    case 'string':
      return bound === 'least' && Number(limit) === 1 ? 'must not be empty' : `must be at ${bound} ${limit} character${Number(limit) === 1 ? '' : 's'} long`;
    case 'array':
    case 'set':
      return bound === 'least' && Number(limit) === 1 ? 'must not be empty' : `must have at ${bound} ${limit} item${Number(limit) === 1 ? '' : 's'}`;
    default:
      return undefined;
  }
}

/** z.number().int() and z.int(): zod reports a string sent to them as "expected number". */
function isIntegerSchema(inst: unknown): boolean {
  return (inst as { isInt?: unknown } | undefined)?.isInt === true;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}
