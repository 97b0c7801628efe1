import { describe, expect, it } from 'vitest';
import { evaluateTemplate } from '../evaluate-template.js';
import { templateFunctions } from './function.registry.js';

const run = (t: string, data: unknown = {}): string => evaluateTemplate(t, data);

describe('template functions', () => {
  it('leaves out what Fleet removes from Sprig, and Helm-only functions', () => {
    for (const name of ['env', 'expandenv', 'include', 'tpl', 'getHostByName', 'toYaml', 'required']) {
      expect(Object.hasOwn(templateFunctions, name), name).toBe(false);
    }
  });

  it.each([
    ['${ "a-b" | upper | replace "-" "_" }', 'A_B'],
    ['${ quote "x" 1 }', '"x" "1"'],
    ['${ squote "x" }', "'x'"],
    ['${ trim "  x " }|${ trimPrefix "v" "v1" }|${ trimSuffix ".0" "1.0" }|${ trimAll "-" "--x--" }', 'x|1|1|x'],
    ['${ contains "b" "abc" } ${ hasPrefix "a" "abc" } ${ hasSuffix "c" "abc" }', 'true true true'],
    ['${ substr 1 3 "abcd" } ${ trunc 2 "abcd" } ${ repeat 3 "z" } ${ nospace "a b" }', 'bc ab zzz ab'],
    ['${ indent 2 "a\\nb" }', '  a\n  b'],
    ['${ nindent 2 "a" }', '\n  a'],
    ['${ title "hello world" }', 'Hello World'],
    ['${ splitList "," "a,b" | join "-" }', 'a-b'],
    ['${ (split "," "a,b")._0 }', 'a'],
    ['${ default "d" "" } ${ default "d" "v" } ${ empty 0 } ${ coalesce "" "c" }', 'd v true c'],
    ['${ ternary "y" "n" true } ${ ternary "y" "n" false }', 'y n'],
    ['${ $d := dict "a" 1 "b" 2 }${ hasKey $d "a" } ${ get $d "b" } ${ get $d "z" }|${ keys $d | join "," }', 'true 2 |a,b'],
    ['${ $d := dict "a" 1 }${ $_ := set $d "b" 2 }${ $d | toJson }', '{"a":1,"b":2}'],
    ['${ list 1 2 3 | first } ${ list 1 2 3 | last } ${ list 1 2 | len } ${ has 2 (list 1 2) }', '1 3 2 true'],
    ['${ list "b" "a" "b" | uniq | sortAlpha | join "" }', 'ab'],
    ['${ int "42" } ${ int 3.9 } ${ int "x" } ${ toString 5 } ${ atoi "7" } ${ float64 "1.5" }', '42 3 0 5 7 1.5'],
    ['${ b64enc "hi" } ${ b64dec "aGk=" }', 'aGk= hi'],
    ['${ dict "h" "<a&b>" | toJson } ${ dict "h" "<" | toRawJson }', '{"h":"\\u003ca\\u0026b\\u003e"} {"h":"<"}'],
    ['${ (fromJson "{\\"a\\":[1]}").a }', '[1]'],
    ['${ sha256sum "a" | trunc 8 }', 'ca978112'],
    ['${ add 1 2 3 } ${ sub 5 2 } ${ mul 2 3 } ${ div 7 2 } ${ mod 7 2 } ${ max 1 5 2 } ${ min 4 2 }', '6 3 6 3 1 5 2'],
    ['${ regexMatch "^a+$" "aaa" } ${ regexReplaceAll "(\\\\d+)" "v12" "<$1>" } ${ regexFind "[0-9]+" "ab12" }', 'true v<12> 12'],
    ['${ eq 1 2 1 } ${ ne "a" "b" } ${ lt 1 2 } ${ ge "b" "a" } ${ not "" }', 'true true true true true'],
    ['${ printf "%5s|%-3d|%05.1f|%q|%v|%x|%t" "ab" 7 3.14159 "q" 1 255 true }', '   ab|7  |003.1|"q"|1|ff|true'],
    ['${ print "a" 1 2 "b" }', 'a1 2b'],
  ])('%s', (template, expected) => {
    expect(run(template)).toBe(expected);
  });

  it('fail and incompatible comparisons are template errors', () => {
    expect(() => run('${ fail "stop" }')).toThrow(/stop/);
    expect(() => run('${ eq "1" 1 }')).toThrow(/incompatible types/);
  });
});
