// The instruction gate: Lua source rewritten so that a run needs no count hook until it loops.
//
// Why: the instruction budget is a count hook, and while a thread has one, Lua 5.4 takes the
// slow path on every VM instruction (lvm.c: each instruction checks `trap` and calls
// luaG_traceexec). Measured on the bench script (six flow.* getters), the hook costs ~30% of a
// check. Most checks are straight-line code: a few getters, a comparison, maybe an alert. Such a
// run is bounded by its length, and needs no hook at all.
//
// How: every place where a run can come back to code it already ran is given a gate statement:
//   - the start of each function body (recursion, callbacks from C such as gsub's), and of the
//     chunk itself;
//   - the start of each loop body (`while ... do`, `for ... do`, `repeat`) and of plain `do` blocks;
//   - each `goto` (a backward goto is a loop).
// The gate statement subtracts the size of the code it guards from a per-run counter shared by
// every chunk of the state (`GATE_COUNTER`, an upvalue joined by the sandbox), and once the counter
// goes below zero calls `GATE_ENABLE`, which turns the count hook on for the running thread.
// The size is the number of tokens of the guarded body, an upper bound on the VM instructions its
// straight-line code can execute (each token compiles to at most about one instruction; nested
// loops and functions have their own gates). So the code a run executes before its hook is on is
// bounded by the counter's start value plus one gate's charge, whatever the script does.
//
// The rewritten source keeps every line where it was (gates are inserted within lines), so error
// messages and tracebacks name the script's own lines. The chunk becomes a function returned by a
// wrapper that declares the two shared names as locals, which the sandbox then joins:
//   local __flowscope_n, __flowscope_e return function(...) <gate> <script>
//   end
// (A script whose getter calls were inlined declares the names they read there too: inline.ts.)
// Scripts may not use names starting with `__flowscope` (rejectReservedNames).

/** The shared counter (an upvalue of every gated function). */
export const GATE_COUNTER = '__flowscope_n';
/** The function that turns the hook on for the running thread (an upvalue too). */
export const GATE_ENABLE = '__flowscope_e';
const RESERVED_PREFIX = '__flowscope';
/**
 * The counter's value at the start of a run: the tokens' worth of gated code a run may execute
 * before the hook is turned on. A check of a few dozen tokens (the bench script is ~60) never
 * reaches it; a loop of a hundred iterations does.
 */
export const GATE_BUDGET = 4096;
/** The counter once the hook is on: no gate of this run reaches zero again. */
export const GATE_OFF = 2 ** 50;

export interface GateOptions {
  /** flowscope's own sources may use the reserved names (to reset the counter). */
  trusted?: boolean;
  /**
   * Gate function entries (default true). Trusted sources without recursion (the flow.* getters,
   * called for every check) turn it off; their loops are still gated.
   */
  functions?: boolean;
  /** More locals of the wrapper, for the sandbox to join as it joins the gate's (inline.ts). */
  locals?: readonly string[];
}

/** Token kinds the rewriting needs; everything else is 'other'. */
type TokenKind = 'name' | 'keyword' | 'other';

export interface Token {
  kind: TokenKind;
  text: string;
  /** Offset of the token's first character in the source. */
  start: number;
  /** Offset just past its last character. */
  end: number;
}

const KEYWORDS = new Set([
  'and', 'break', 'do', 'else', 'elseif', 'end', 'false', 'for', 'function', 'goto', 'if', 'in',
  'local', 'nil', 'not', 'or', 'repeat', 'return', 'then', 'true', 'until', 'while',
]);

/**
 * Thrown for a source the tokenizer cannot follow (the Lua compiler reports the real error), or
 * that uses a reserved name (`reserved`: an error for the script's author).
 */
export class GateError extends Error {
  constructor(message: string, readonly reserved = false) {
    super(message);
  }
}

const isNameStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isNameChar = (c: number) => isNameStart(c) || isDigit(c);
const isHexDigit = (c: number) => isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);

/**
 * The level of a long bracket opening at `i` (`[[` is 0, `[==[` is 2), or -1 if `[` does not
 * open one there (Lua 5.4 manual §3.1).
 */
function longBracketLevel(source: string, i: number): number {
  let j = i + 1;
  while (source.charCodeAt(j) === 61 /* = */) j++;
  return source.charCodeAt(j) === 91 /* [ */ ? j - i - 1 : -1;
}

/** Offset just past the long bracket of `level` closing after `from`. */
function skipLongBracket(source: string, from: number, level: number): number {
  const close = `]${'='.repeat(level)}]`;
  const at = source.indexOf(close, from);
  if (at < 0) throw new GateError('unfinished long string or comment');
  return at + close.length;
}

/** The tokens of a Lua 5.4 chunk, comments and whitespace dropped (lexical rules: manual §3.1). */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const n = source.length;
  let i = 0;
  // A first line starting with '#' is skipped by luaL_loadfile only, not by load(): keep it.
  while (i < n) {
    const c = source.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === 45 /* - */ && source.charCodeAt(i + 1) === 45) {
      i += 2;
      if (source.charCodeAt(i) === 91 /* [ */) {
        const level = longBracketLevel(source, i);
        if (level >= 0) {
          i = skipLongBracket(source, i + level + 2, level);
          continue;
        }
      }
      while (i < n && source.charCodeAt(i) !== 10 && source.charCodeAt(i) !== 13) i++;
      continue;
    }
    if (isNameStart(c)) {
      i++;
      while (i < n && isNameChar(source.charCodeAt(i))) i++;
      const text = source.slice(start, i);
      tokens.push({ kind: KEYWORDS.has(text) ? 'keyword' : 'name', text, start, end: i });
      continue;
    }
    if (isDigit(c) || (c === 46 /* . */ && isDigit(source.charCodeAt(i + 1)))) {
      // llex.c read_numeral's shape: exponent marks e/E (p/P for hex) may take a sign.
      let exponent = 'Ee';
      if (c === 48 && (source[i + 1] === 'x' || source[i + 1] === 'X')) {
        exponent = 'Pp';
        i += 2;
      }
      for (;;) {
        const ch = source[i];
        if (ch !== undefined && exponent.includes(ch)) {
          i++;
          if (source[i] === '+' || source[i] === '-') i++;
        } else if (i < n && (isHexDigit(source.charCodeAt(i)) || source.charCodeAt(i) === 46)) {
          i++;
        } else {
          break;
        }
      }
      tokens.push({ kind: 'other', text: source.slice(start, i), start, end: i });
      continue;
    }
    if (c === 34 /* " */ || c === 39 /* ' */) {
      i++;
      for (;;) {
        if (i >= n) throw new GateError('unfinished string');
        const ch = source.charCodeAt(i);
        if (ch === c) {
          i++;
          break;
        }
        if (ch === 10 || ch === 13) throw new GateError('unfinished string');
        // An escape consumes the next character, whatever it is (a quote, a backslash, a
        // newline); longer escapes (\x.., \u{..}, \ddd, \z) are plain characters after that.
        i += ch === 92 /* \ */ ? 2 : 1;
      }
      tokens.push({ kind: 'other', text: '<string>', start, end: i });
      continue;
    }
    if (c === 91 /* [ */) {
      const level = longBracketLevel(source, i);
      if (level >= 0) {
        i = skipLongBracket(source, i + level + 2, level);
        tokens.push({ kind: 'other', text: '<string>', start, end: i });
        continue;
      }
    }
    i++;
    tokens.push({ kind: 'other', text: source[start], start, end: i });
  }
  return tokens;
}

/** Throws when the script uses a name the gate reserves. */
export function rejectReservedNames(tokens: Token[]): void {
  for (const t of tokens) {
    if (t.kind === 'name' && t.text.startsWith(RESERVED_PREFIX)) {
      throw new GateError(`names starting with ${RESERVED_PREFIX} are reserved by the flowscope sandbox (${t.text})`, true);
    }
  }
}

/** A gate statement charging `weight` to the counter. */
function gateStatement(weight: number): string {
  return ` ${GATE_COUNTER}=${GATE_COUNTER}-${weight} if ${GATE_COUNTER}<0 then ${GATE_ENABLE}() end `;
}

/** A token range: a body a gate guards. */
interface Range {
  from: number;
  to: number;
}

/** An open block while scanning, and the range whose end its closer sets. */
interface OpenBlock {
  /** 'loophead': `while`/`for` waiting for its `do`; the others wait for `end` or `until`. */
  kind: 'function' | 'loophead' | 'block' | 'repeat';
  body: Range | null;
}

/** Where a gate goes, and the range whose size it charges. */
interface Insertion {
  at: number;
  range: Range;
}

/**
 * The source with gates inserted (see the file comment). Throws GateError on a reserved name or
 * on a source whose blocks do not balance (the caller compiles the original first, so this only
 * happens for code the Lua compiler also rejects).
 */
export function gateSource(source: string, options: GateOptions = {}): string {
  const gateFunctions = options.functions ?? true;
  const tokens = tokenize(source);
  if (options.trusted !== true) rejectReservedNames(tokens);
  const stack: OpenBlock[] = [];
  const insertions: Insertion[] = [];
  const chunk: Range = { from: 0, to: tokens.length };
  /** The innermost open function's body (a goto charges all of it: it may jump back anywhere). */
  const functions: Range[] = [chunk];

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'keyword') continue;
    const top = stack[stack.length - 1];
    switch (t.text) {
      case 'function': {
        // The body starts after the parameter list: the next '(' and its ')' (names only between).
        let open = i + 1;
        while (open < tokens.length && tokens[open].text !== '(') open++;
        let close = open + 1;
        while (close < tokens.length && tokens[close].text !== ')') close++;
        if (close >= tokens.length) throw new GateError('function without a parameter list');
        const body: Range = { from: close + 1, to: tokens.length };
        if (gateFunctions) insertions.push({ at: tokens[close].end, range: body });
        functions.push(body);
        stack.push({ kind: 'function', body });
        i = close;
        break;
      }
      case 'while':
      case 'for':
        // The body's range starts here: a while condition runs with every iteration.
        stack.push({ kind: 'loophead', body: { from: i, to: tokens.length } });
        break;
      case 'do': {
        const body: Range = top !== undefined && top.kind === 'loophead' ? top.body! : { from: i + 1, to: tokens.length };
        insertions.push({ at: t.end, range: body });
        if (top !== undefined && top.kind === 'loophead') {
          top.kind = 'block';
        } else {
          stack.push({ kind: 'block', body });
        }
        break;
      }
      case 'repeat': {
        const body: Range = { from: i + 1, to: tokens.length };
        insertions.push({ at: t.end, range: body });
        stack.push({ kind: 'repeat', body });
        break;
      }
      case 'if':
        stack.push({ kind: 'block', body: null });
        break;
      case 'end': {
        if (top === undefined || top.kind === 'repeat' || top.kind === 'loophead') throw new GateError("unexpected 'end'");
        stack.pop();
        if (top.body !== null) top.body.to = i;
        if (top.kind === 'function') functions.pop();
        break;
      }
      case 'until':
        if (top === undefined || top.kind !== 'repeat') throw new GateError("unexpected 'until'");
        stack.pop();
        // The condition runs with every iteration too: count a generous line of it in.
        top.body!.to = Math.min(tokens.length, i + 32);
        break;
      case 'goto':
        insertions.push({ at: t.start, range: functions[functions.length - 1] });
        break;
    }
  }
  if (stack.length !== 0) throw new GateError('unbalanced blocks');

  insertions.sort((a, b) => a.at - b.at);
  const locals = [GATE_COUNTER, GATE_ENABLE, ...(options.locals ?? [])].join(', ');
  let out = `local ${locals} return function(...)${gateStatement(weightOf(chunk))}`;
  let last = 0;
  for (const insertion of insertions) {
    out += source.slice(last, insertion.at) + gateStatement(weightOf(insertion.range));
    last = insertion.at;
  }
  out += `${source.slice(last)}\nend`;
  return out;
}

/** A gate's charge: the guarded tokens, at least 1. */
function weightOf(range: Range): number {
  return Math.max(1, range.to - range.from);
}
