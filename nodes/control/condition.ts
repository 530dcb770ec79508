/**
 * A tiny, safe condition language for control.branch: comparisons (== != < <= > >=), and / or /
 * not (also && || !), parentheses, numbers, "strings" or 'strings', true / false, and dotted
 * names looked up in a scope (e.g. `metrics.auc >= 0.8 and values.mode == "full"`). Parsed into
 * a tree and walked; nothing is ever handed to `eval`.
 */
export type ConditionValue = number | string | boolean;
export type ConditionScope = Record<string, Record<string, ConditionValue>>;

type Node =
  | { kind: 'literal'; value: ConditionValue }
  | { kind: 'name'; path: string[] }
  | { kind: 'not'; operand: Node }
  | { kind: 'logic'; op: 'and' | 'or'; left: Node; right: Node }
  | { kind: 'compare'; op: CompareOp; left: Node; right: Node };
type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

type Token = { kind: 'number'; value: number } | { kind: 'string'; value: string } | { kind: 'word'; value: string } | { kind: 'op'; value: string };

export class ConditionError extends Error {
  override readonly name = 'ConditionError';
}

export interface Condition {
  /** Every dotted name the condition reads, e.g. "metrics.auc". */
  readonly names: string[];
  /** The condition's value in `scope`, and the values of the names it read (for the log). */
  evaluate(scope: ConditionScope): { result: boolean; read: Record<string, ConditionValue> };
}

/** Parses `text`; a ConditionError says where it went wrong. */
export function parseCondition(text: string): Condition {
  const tokens = tokenize(text);
  let at = 0;
  const peek = (): Token | undefined => tokens[at];
  const isWord = (word: string): boolean => {
    const t = peek();
    return t?.kind === 'word' && t.value === word;
  };
  const isOp = (...ops: string[]): boolean => {
    const t = peek();
    return t?.kind === 'op' && ops.includes(t.value);
  };
  const fail = (what: string): never => {
    const t = peek();
    throw new ConditionError(`${what} ${t ? `at "${String(t.value)}"` : 'at the end'} in condition "${text}"`);
  };
  const parseOr = (): Node => {
    let left = parseAnd();
    while (isWord('or') || isOp('||')) {
      at++;
      left = { kind: 'logic', op: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): Node => {
    let left = parseNot();
    while (isWord('and') || isOp('&&')) {
      at++;
      left = { kind: 'logic', op: 'and', left, right: parseNot() };
    }
    return left;
  };
  const parseNot = (): Node => {
    if (isWord('not') || isOp('!')) {
      at++;
      return { kind: 'not', operand: parseNot() };
    }
    const left = parsePrimary();
    if (isOp('==', '!=', '<', '<=', '>', '>=')) {
      const op = (tokens[at++] as Token).value as CompareOp;
      return { kind: 'compare', op, left, right: parsePrimary() };
    }
    return left;
  };
  const parsePrimary = (): Node => {
    const t = peek();
    if (!t) return fail('expected a value');
    at++;
    if (t.kind === 'number' || t.kind === 'string') return { kind: 'literal', value: t.value };
    if (t.kind === 'op' && t.value === '(') {
      const inner = parseOr();
      if (!isOp(')')) fail('expected ")"');
      at++;
      return inner;
    }
    if (t.kind === 'word') {
      if (t.value === 'true' || t.value === 'false') return { kind: 'literal', value: t.value === 'true' };
      if (['and', 'or', 'not'].includes(t.value)) {
        at--;
        return fail('expected a value');
      }
      return { kind: 'name', path: t.value.split('.') };
    }
    at--;
    return fail('expected a value');
  };
  const tree = parseOr();
  if (at < tokens.length) fail('unexpected');
  const names = new Set<string>();
  collectNames(tree, names);
  return {
    names: [...names],
    evaluate(scope) {
      const read: Record<string, ConditionValue> = {};
      const value = evaluate(tree, scope, read, text);
      return { result: truthy(value), read };
    },
  };
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:(\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)|"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*)|(==|!=|<=|>=|&&|\|\||[<>!()]|-))/y;
  let index = 0;
  while (index < text.length) {
    if (/^\s*$/.test(text.slice(index))) break;
    pattern.lastIndex = index;
    const m = pattern.exec(text);
    if (!m) throw new ConditionError(`cannot read condition "${text}" from "${text.slice(index).trim()}": write comparisons (==, !=, <, <=, >, >=), and/or/not, numbers, "strings", true/false and dotted names`);
    index = pattern.lastIndex;
    const [, number, double, single, word, op] = m;
    if (number !== undefined) tokens.push({ kind: 'number', value: Number(number) });
    else if (double !== undefined) tokens.push({ kind: 'string', value: double.replace(/\\(.)/g, '$1') });
    else if (single !== undefined) tokens.push({ kind: 'string', value: single.replace(/\\(.)/g, '$1') });
    else if (word !== undefined) tokens.push({ kind: 'word', value: word });
    else if (op === '-') {
      // A minus sign only ever starts a negative number.
      const next = /\s*(\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+)/y;
      next.lastIndex = index;
      const n = next.exec(text);
      if (!n) throw new ConditionError(`"-" must start a number in condition "${text}"`);
      index = next.lastIndex;
      tokens.push({ kind: 'number', value: -Number(n[1]) });
    } else tokens.push({ kind: 'op', value: op as string });
  }
  return tokens;
}

function collectNames(node: Node, names: Set<string>): void {
  if (node.kind === 'name') names.add(node.path.join('.'));
  else if (node.kind === 'not') collectNames(node.operand, names);
  else if (node.kind === 'logic' || node.kind === 'compare') {
    collectNames(node.left, names);
    collectNames(node.right, names);
  }
}

function evaluate(node: Node, scope: ConditionScope, read: Record<string, ConditionValue>, text: string): ConditionValue {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'name': {
      const [group, ...rest] = node.path;
      const key = rest.join('.');
      const values = group === undefined ? undefined : scope[group];
      const name = node.path.join('.');
      if (!values || rest.length === 0 || !Object.hasOwn(values, key)) {
        const known = Object.entries(scope).flatMap(([g, v]) => Object.keys(v).map((k) => `${g}.${k}`));
        throw new ConditionError(`condition "${text}" reads "${name}", which has no value here. Available: ${known.join(', ') || 'nothing (connect a metrics input or set "values")'}.`);
      }
      const value = values[key] as ConditionValue;
      read[name] = value;
      return value;
    }
    case 'not':
      return !truthy(evaluate(node.operand, scope, read, text));
    case 'logic': {
      // Short-circuits like any language would, so `a or b` never needs b when a holds.
      const left = truthy(evaluate(node.left, scope, read, text));
      if (node.op === 'and' ? !left : left) return left;
      return truthy(evaluate(node.right, scope, read, text));
    }
    case 'compare': {
      const left = evaluate(node.left, scope, read, text);
      const right = evaluate(node.right, scope, read, text);
      if (node.op === '==') return left === right;
      if (node.op === '!=') return left !== right;
      if (typeof left !== typeof right || typeof left === 'boolean') {
        throw new ConditionError(`condition "${text}" orders ${JSON.stringify(left)} against ${JSON.stringify(right)}: "${node.op}" compares two numbers or two strings`);
      }
      if (node.op === '<') return left < right;
      if (node.op === '<=') return left <= right;
      if (node.op === '>') return left > right;
      return left >= right;
    }
  }
}

function truthy(value: ConditionValue): boolean {
  return typeof value === 'boolean' ? value : typeof value === 'number' ? value !== 0 && !Number.isNaN(value) : value.length > 0;
}
