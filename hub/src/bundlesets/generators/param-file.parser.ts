import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';

import { GeneratorError } from './generator.error.js';
import { isPlainMap } from './param.merge.js';

/** Largest parameter file read (1 MiB): a generator input, not a data store. */
export const MAX_PARAM_FILE_BYTES = 1024 * 1024;
/** Most YAML aliases one file may resolve, so `&a [*a, *a, …]` cannot blow up memory. */
export const MAX_YAML_ALIASES = 100;

/** A parsed parameter file: its content and the 1-based line each top-level list item starts on. */
export interface ParamFile {
  content: unknown;
  itemLines: number[];
}

function fail(message: string, file: string, line?: number): GeneratorError {
  return new GeneratorError('GitFileInvalid', message, line === undefined ? { file } : { file, line });
}

/**
 * Parses a YAML or JSON parameter file (JSON is read as YAML 1.2) with
 * bounds: at most {@link MAX_PARAM_FILE_BYTES} bytes and
 * {@link MAX_YAML_ALIASES} aliases. A syntax error is
 * GeneratorError('GitFileInvalid') with the file and its 1-based line.
 */
export function parseParamFile(bytes: Buffer, file: string): ParamFile {
  if (bytes.length > MAX_PARAM_FILE_BYTES) {
    throw fail(`${file} is ${bytes.length} bytes, more than the ${MAX_PARAM_FILE_BYTES} a parameter file may have`, file);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(bytes.toString('utf8'), { lineCounter, uniqueKeys: true, prettyErrors: false });
  const error = doc.errors[0];
  if (error) {
    const line = error.linePos?.[0].line ?? lineCounter.linePos(error.pos[0]).line;
    throw fail(`${file}:${line}: ${error.message.split('\n')[0]}`, file, line);
  }
  let content: unknown;
  try {
    content = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (cause) {
    throw new GeneratorError('GitFileInvalid', `${file}: ${(cause as Error).message}`, { file }, { cause });
  }
  const root = doc.contents as Node | null;
  const itemLines = isSeq(root)
    ? root.items.map((item) => lineCounter.linePos((item as Node | null)?.range?.[0] ?? 0).line)
    : [];
  if (root && !isMap(root) && !isSeq(root) && content !== null) {
    throw fail(`${file} holds a ${typeof content}; expected a map or a list of maps`, file, 1);
  }
  return { content, itemLines };
}

/**
 * The list items of a parsed file as parameter maps: every item must be a
 * map, else GeneratorError('GitFileInvalid') naming the file and the item's line.
 */
export function listItemsAsMaps(parsed: ParamFile, file: string): Record<string, unknown>[] {
  if (!Array.isArray(parsed.content)) {
    throw fail(`${file} is not a list; expected a list of maps`, file);
  }
  return parsed.content.map((item: unknown, i) => {
    if (!isPlainMap(item)) {
      throw fail(`${file}: list item ${i} is not a map`, file, parsed.itemLines[i]);
    }
    return item;
  });
}
