import type { FunctionMap } from '../template.types.js';
import { builtinFunctions } from './builtin.functions.js';
import { defaultsFunctions } from './defaults.functions.js';
import { dictFunctions } from './dict.functions.js';
import { encodingFunctions } from './encoding.functions.js';
import { listFunctions } from './list.functions.js';
import { logicFunctions } from './logic.functions.js';
import { mathFunctions } from './math.functions.js';
import { regexFunctions } from './regex.functions.js';
import { stringFunctions } from './strings.functions.js';

/**
 * The functions a Fleet `${ }` template may call: Go's builtins plus the hermetic part of Sprig that
 * fleet.yaml authors use. Fleet starts from `sprig.TxtFuncMap()` and deletes `env`, `expandenv`,
 * `include`, `tpl` and `getHostByName`; those are absent here too. Helm's `toYaml`/`required` are not
 * Sprig, so Fleet does not have them and neither does this registry (calling them is a parse error).
 */
export const templateFunctions: FunctionMap = Object.freeze({
  ...builtinFunctions,
  ...logicFunctions,
  ...stringFunctions,
  ...defaultsFunctions,
  ...dictFunctions,
  ...listFunctions,
  ...encodingFunctions,
  ...mathFunctions,
  ...regexFunctions,
});
