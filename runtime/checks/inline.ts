// Flow getters inlined: a script's `flow.cli()` rewritten to the getter's own expression.
//
// Why: a check is mostly calls to the flow.* getters (the bench script makes six), and in the
// Lua VM each is a global lookup, a field lookup and a call frame, ~50 ns on the WebAssembly
// build, for a function whose body reads one or two values dispatch has just stored. Written in
// place, the same expression reads those values as upvalues of the script: a few instructions.
//
// What: each call `flow.NAME()` with no arguments, NAME one of lua/flow_api.ts FLOW_GETTERS,
// becomes `(EXPR)`, the getter's expression over `__flowscope_*` names. The sandbox declares
// those as locals of the gated wrapper (gate.ts) and joins them to flow_api's own locals, so they
// hold what the getter would have read. The parentheses keep it one value and one operand, as the
// call was (each getter returns exactly one value); the text stays on its line, so errors and
// tracebacks name the script's lines as before.
//
// When: only where the result is provably the getter's. The script must never be able to see or
// change `flow` or its functions other than by calling them:
//   - every `flow` that is the global (not a field `x.flow`, a method `x:flow`, a label) is
//     followed by `.NAME(`, and does not follow `function` (no `function flow.cli()`): so no
//     assignment to `flow` or to a field of it, no `local flow`, no parameter named flow, no
//     `flow[...]`, no passing `flow` or `flow.cli` around;
//   - no other way to the global table: no `_G` or `_ENV`, `package` only as `package.path` or
//     `package.cpath` (package.loaded holds _G), and `require` only with a literal module name
//     (require('_G') returns it; flowscope's modules never touch flow).
// Otherwise the script runs as written. A call in statement position (`flow.cli()` alone, which
// would not parse as an expression) is left as a call.
import { FLOW_GETTERS, getterExpression } from './lua/flow_api.ts';
import type { Token } from './gate.ts';

/** The prefix of the names the rewrite introduces (reserved for flowscope: gate.ts). */
export const INLINE_PREFIX = '__flowscope_';

/** A rewritten script and the names its expressions read (to declare and join). */
export interface InlinedSource {
  source: string;
  /** The `__flowscope_*` names used, each a local of flow_api without the prefix. */
  names: string[];
  /** How many calls were rewritten. */
  sites: number;
}

/**
 * Tokens after which an expression starts: a call there is an operand, never a statement.
 * (The tokenizer gives operators one character at a time: `==`, `..`, `<=`, `//` all end in one
 * of these; a lone `.` is handled apart, since it may be a field access.)
 */
const EXPRESSION_BEFORE = new Set([
  '=', ',', '(', '{', '[', '+', '-', '*', '/', '%', '^', '#', '&', '|', '~', '<', '>',
  'return', 'if', 'elseif', 'while', 'until', 'and', 'or', 'not', 'in',
]);

/** A module name `require` may be given: a plain name, never `_G`. */
const MODULE_NAME = /^[A-Za-z][A-Za-z0-9_.]*$/;

const EXPRESSIONS = new Map(Object.entries(FLOW_GETTERS).map(([name, template]) => [name, getterExpression(template, INLINE_PREFIX)]));
const NAMES_OF = new Map(Object.entries(FLOW_GETTERS).map(([name, template]) => [name, [...template.matchAll(/\$([A-Za-z0-9_]+)/g)].map((m) => m[1])]));

/** The script with its getter calls inlined, or null when it has none or inlining is not safe. */
export function inlineFlowGetters(source: string, tokens: readonly Token[]): InlinedSource | null {
  const text = (i: number) => tokens[i]?.text;
  // Whether tokens[i], a name, is a field or method name (`x.name`, `x:name`) or a label (`::name::`,
  // `goto name`) rather than a variable. Two adjacent dots before it are `..`: then it is a variable.
  const notVariable = (i: number) => {
    const before = text(i - 1);
    if (before === 'goto' || before === ':') return true;
    return before === '.' && !(text(i - 2) === '.' && tokens[i - 2].end === tokens[i - 1].start);
  };
  const sites: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'name') continue;
    if (t.text === '_G' || t.text === '_ENV') return null;
    if (notVariable(i)) continue;
    switch (t.text) {
      case 'package':
        if (text(i + 1) !== '.' || (text(i + 2) !== 'path' && text(i + 2) !== 'cpath')) return null;
        break;
      case 'require': {
        const at = text(i + 1) === '(' ? i + 2 : i + 1;
        if (!isPlainModuleName(source, tokens[at]) || (at === i + 2 && text(at + 1) !== ')')) return null;
        break;
      }
      case 'flow': {
        if (text(i - 1) === 'function' || text(i + 1) !== '.' || tokens[i + 2]?.kind !== 'name' || text(i + 3) !== '(') return null;
        if (text(i + 4) !== ')' || !EXPRESSIONS.has(text(i + 2)!)) break;
        // (A '.' before a variable is the end of `..`.)
        const before = text(i - 1);
        const operand = before !== undefined && (EXPRESSION_BEFORE.has(before) || before === '.');
        // The call's text on one line: the expression replacing it keeps the line count.
        if (operand && !/[\n\r]/.test(source.slice(t.start, tokens[i + 4].end))) sites.push(i);
        break;
      }
    }
  }
  if (sites.length === 0) return null;
  let out = '';
  let last = 0;
  const names = new Set<string>();
  for (const i of sites) {
    const getter = tokens[i + 2].text;
    out += `${source.slice(last, tokens[i].start)}(${EXPRESSIONS.get(getter)})`;
    last = tokens[i + 4].end;
    for (const name of NAMES_OF.get(getter)!) names.add(name);
  }
  out += source.slice(last);
  return { source: out, names: [...names].sort().map((name) => INLINE_PREFIX + name), sites: sites.length };
}

/** Whether a token is a quoted string holding a plain module name (no escapes, not `_G`). */
function isPlainModuleName(source: string, token: Token | undefined): boolean {
  if (token === undefined || token.text !== '<string>') return false;
  const quote = source[token.start];
  if (quote !== '"' && quote !== "'") return false;
  return MODULE_NAME.test(source.slice(token.start + 1, token.end - 1));
}
