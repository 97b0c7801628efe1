import { formatNumber, formatValue } from '../template.values.js';

/**
 * The part of Go's fmt.Sprintf that templates use: %s %v %d %q %t %f %e %g %x %X %o %b %c %%,
 * with flags `-+0 ` and width/precision. Bad verbs print like Go (`%!z(string=x)`).
 */
export function sprintf(format: string, args: unknown[]): string {
  let argIndex = 0;
  return format.replace(/%([-+# 0]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])/g, (_m, flags: string, width?: string, prec?: string, verb?: string) => {
    if (verb === '%') return '%';
    if (argIndex >= args.length) return `%!${verb}(MISSING)`;
    const arg = args[argIndex++];
    const body = formatVerb(verb!, arg, prec === undefined ? undefined : Number(prec), flags);
    return pad(body, width === undefined ? 0 : Number(width), flags);
  }) + extra(args, argIndex);
}

function extra(args: unknown[], used: number): string {
  if (used >= args.length) return '';
  return `%!(EXTRA ${args.slice(used).map((a) => `${typeof a}=${formatValue(a, false)}`).join(', ')})`;
}

function formatVerb(verb: string, arg: unknown, prec: number | undefined, flags: string): string {
  const num = typeof arg === 'number' ? arg : undefined;
  switch (verb) {
    case 's':
    case 'v': {
      const s = formatValue(arg, false);
      return verb === 's' && prec !== undefined ? s.slice(0, prec) : s;
    }
    case 'q':
      return typeof arg === 'string' ? JSON.stringify(arg) : num !== undefined ? `'${String.fromCodePoint(num)}'` : bad(verb, arg);
    case 't':
      return typeof arg === 'boolean' ? String(arg) : bad(verb, arg);
    case 'd':
      return num !== undefined && Number.isInteger(num) ? sign(num, flags) + Math.abs(num).toString() : bad(verb, arg);
    case 'f':
    case 'F':
      return num !== undefined ? sign(num, flags) + Math.abs(num).toFixed(prec ?? 6) : bad(verb, arg);
    case 'e':
      return num !== undefined ? num.toExponential(prec ?? 6).replace(/e([+-])(\d)$/, 'e$10$2') : bad(verb, arg);
    case 'g':
      return num !== undefined ? formatNumber(prec === undefined ? num : Number(num.toPrecision(prec))) : bad(verb, arg);
    case 'x':
    case 'X': {
      const s = num !== undefined ? Math.trunc(num).toString(16) : typeof arg === 'string' ? Buffer.from(arg).toString('hex') : undefined;
      if (s === undefined) return bad(verb, arg);
      return verb === 'X' ? s.toUpperCase() : s;
    }
    case 'o':
      return num !== undefined ? Math.trunc(num).toString(8) : bad(verb, arg);
    case 'b':
      return num !== undefined ? Math.trunc(num).toString(2) : bad(verb, arg);
    case 'c':
      return num !== undefined ? String.fromCodePoint(num) : bad(verb, arg);
    default:
      return bad(verb, arg);
  }
}

function sign(n: number, flags: string): string {
  if (n < 0) return '-';
  return flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
}

function bad(verb: string, arg: unknown): string {
  const type = typeof arg === 'number' ? (Number.isInteger(arg) ? 'int' : 'float64') : arg === null || arg === undefined ? '<nil>' : typeof arg;
  return `%!${verb}(${type}=${formatValue(arg, false)})`;
}

function pad(s: string, width: number, flags: string): string {
  if (s.length >= width) return s;
  if (flags.includes('-')) return s.padEnd(width);
  if (flags.includes('0') && /^[-+ ]?\d/.test(s)) {
    const signChar = /^[-+ ]/.test(s) ? s[0]! : '';
    return signChar + s.slice(signChar.length).padStart(width - signChar.length, '0');
  }
  return s.padStart(width);
}
