import { z } from 'zod';
import type { ArtifactStore } from '../artifacts/artifactStore.js';
import { sqlIdentifier, sqlString } from '../data/dataEngine.js';
import { NodeError } from '../node/nodeError.js';
import { ColumnSchema, type Column, type FileValue } from '../node/portValue.js';
import { numericValue, sqlDouble, sqlTyped, valueOrNull } from './columnSql.js';

/**
 * A fitted featurization chain as data: every number a featurizer learned from its fit rows
 * (means, scales, category lists, bin edges, formulas), in order. The same JSON is what a
 * `transform` port carries, what a saved model embeds, and what `applyTransformChain` compiles
 * into one DuckDB query, so training, prediction and monitoring transform rows identically.
 *
 * A new step kind or a change in a step's meaning makes a new format version; readers reject
 * versions they do not know rather than guess.
 */
export const TRANSFORM_FORMAT = 'trellis.transform/1';

const ColumnName = z.string().min(1);
/** Types are spliced into SQL, so only plain type names are accepted (no quotes, no `;`). */
const SqlType = z.string().regex(/^[A-Za-z][A-Za-z0-9_ ,()]*$/, 'a SQL type name such as DOUBLE or DECIMAL(10,2)');

export const ImputeStrategySchema = z.enum(['mean', 'median', 'most_frequent', 'constant']);
export const ScaleMethodSchema = z.enum(['standard', 'minmax', 'robust']);
export const BinStrategySchema = z.enum(['quantile', 'uniform']);
export const DATETIME_PARTS = ['year', 'quarter', 'month', 'day', 'weekday', 'dayofyear', 'hour', 'minute', 'second'] as const;
export const DatetimePartSchema = z.enum(DATETIME_PARTS);
export const CyclicalPartSchema = z.enum(['month', 'weekday', 'hour']);
export type DatetimePart = z.infer<typeof DatetimePartSchema>;
export type CyclicalPart = z.infer<typeof CyclicalPartSchema>;

/** Missing values (NULL or NaN) replaced by `fill`, cast to `type` (the column's type after the step). */
export const ImputeStepSchema = z.object({
  kind: z.literal('impute'),
  strategy: ImputeStrategySchema,
  columns: z.array(z.object({ name: ColumnName, type: SqlType, fill: z.union([z.number(), z.string(), z.boolean()]) })),
});

/** `(x - center) / scale` as DOUBLE; `scale` is never 0 (a constant column gets 1, as in scikit-learn). */
export const ScaleStepSchema = z.object({
  kind: z.literal('scale'),
  method: ScaleMethodSchema,
  columns: z.array(z.object({ name: ColumnName, center: z.number(), scale: z.number().refine((s) => s !== 0, 'scale must not be 0') })),
});

/**
 * One TINYINT 0/1 column per kept category; the source column is dropped. Values not in
 * `categories` (rare at fit time, or never seen) set `other` when there is one, else nothing.
 * NULL sets nothing.
 *
 * TINYINT rather than INTEGER (as chains before it applied): a featurized table has many such
 * columns and the narrow type writes about a quarter faster; readers cast features to DOUBLE,
 * so a saved model sees the same numbers and the format version stays. Rather than BOOLEAN,
 * which writes faster still but is not numeric: a later scale step would skip it, a later
 * one-hot step would encode it again, and formulas could not add or subtract it.
 */
export const OnehotStepSchema = z.object({
  kind: z.literal('onehot'),
  columns: z.array(z.object({
    name: ColumnName,
    categories: z.array(z.object({ value: z.string(), column: ColumnName })),
    other: ColumnName.nullable(),
  })),
});

/** Category (compared as text) → its index in `categories`; anything else → `unknown`; NULL stays NULL. */
export const OrdinalStepSchema = z.object({
  kind: z.literal('ordinal'),
  columns: z.array(z.object({ name: ColumnName, categories: z.array(z.string()), unknown: z.int() })),
});

/**
 * Bin index 0..edges.length-2 as INTEGER: the number of inner edges at or below the value, so
 * values outside the fitted range fall into the first or last bin (as scikit-learn's KBinsDiscretizer).
 */
export const BinStepSchema = z.object({
  kind: z.literal('bin'),
  strategy: BinStrategySchema,
  columns: z.array(z.object({
    name: ColumnName,
    edges: z.array(z.number()).min(2).refine((e) => e.every((v, i) => i === 0 || v > (e[i - 1] as number)), 'bin edges must increase'),
  })),
});

/** Calendar parts and sin/cos encodings of a date/time column; `cast` reads text as TIMESTAMP. */
export const DatetimeStepSchema = z.object({
  kind: z.literal('datetime'),
  columns: z.array(z.object({
    name: ColumnName,
    cast: z.boolean(),
    keep: z.boolean(),
    features: z.array(z.union([
      z.object({ part: DatetimePartSchema, encoding: z.literal('value'), column: ColumnName }),
      z.object({ part: CyclicalPartSchema, encoding: z.enum(['sin', 'cos']), column: ColumnName }),
    ])),
  })),
});

/**
 * Row-wise DuckDB expressions, evaluated in order (each sees the ones before it). A `;` is
 * refused: a chain may come from a file someone else wrote, and one expression must not be able
 * to smuggle in a second statement.
 */
export const FormulaStepSchema = z.object({
  kind: z.literal('formula'),
  formulas: z.array(z.object({
    name: ColumnName,
    expression: z.string().min(1).refine((e) => !e.includes(';'), 'an expression must not contain ";"'),
    replaces: z.boolean(),
  })),
});

export const TransformStepSchema = z.discriminatedUnion('kind', [
  ImputeStepSchema, ScaleStepSchema, OnehotStepSchema, OrdinalStepSchema, BinStepSchema, DatetimeStepSchema, FormulaStepSchema,
]);
export type TransformStep = z.infer<typeof TransformStepSchema>;
export type TransformStepKind = TransformStep['kind'];

export const TransformChainSchema = z.object({
  format: z.literal(TRANSFORM_FORMAT),
  /** Columns of the rows the first step was fitted on. */
  input: z.array(ColumnSchema),
  steps: z.array(TransformStepSchema),
  /** Columns the chain produced from those rows. */
  output: z.array(ColumnSchema),
});
export type TransformChain = z.infer<typeof TransformChainSchema>;

/**
 * The SELECT that applies a fitted chain to `source` (anything valid after FROM: a table name,
 * `read_parquet('...')`, or a parenthesised query). Run it with `DataEngine.writeTable`, `rows`,
 * or inside a larger query: applying a chain is one DuckDB query, with no row loop in JavaScript.
 * Columns no step mentions pass through unchanged, so rows at prediction time need only the
 * columns in `requiredColumns(chain)`.
 */
export function applyTransformChain(chain: TransformChain, source: string): string {
  let sql = `SELECT * FROM ${source}`;
  for (const step of chain.steps) sql = applyTransformStep(step, `(${sql})`);
  return sql;
}

/** The SELECT that applies one fitted step to `source`. */
export function applyTransformStep(step: TransformStep, source: string): string {
  switch (step.kind) {
    case 'impute':
      return select(source, {
        replace: step.columns.map((c) => [c.name, `coalesce(${valueOrNull(c.name, c.type)}, ${sqlTyped(c.fill, c.type)})`]),
      });
    case 'scale':
      return select(source, {
        replace: step.columns.map((c) => [c.name, `(${numericValue(c.name)} - ${sqlDouble(c.center)}) / ${sqlDouble(c.scale)}`]),
      });
    case 'onehot':
      return select(source, { exclude: step.columns.map((c) => c.name), add: step.columns.flatMap(onehotColumns) });
    case 'ordinal':
      return select(source, { replace: step.columns.map((c) => [c.name, ordinalCode(c)]) });
    case 'bin':
      return select(source, { replace: step.columns.map((c) => [c.name, binIndex(c.name, c.edges)]) });
    case 'datetime':
      return select(source, {
        exclude: step.columns.filter((c) => !c.keep).map((c) => c.name),
        add: step.columns.flatMap((c) => c.features.map((f): Named => [f.column, datetimeFeature(c.name, c.cast, f)])),
      });
    case 'formula': {
      // One layer per formula so each expression can read the columns made before it.
      let sql = `SELECT * FROM ${source}`;
      for (const f of step.formulas) {
        const column: Named = [f.name, `(${f.expression})`];
        sql = select(`(${sql})`, f.replaces ? { replace: [column] } : { add: [column] });
      }
      return sql;
    }
    default:
      return step satisfies never;
  }
}

/**
 * Columns a source must have for the chain to apply: those a step reads that no earlier step
 * made. Formula expressions are opaque, so their inputs are checked by DuckDB when the query binds.
 */
export function requiredColumns(chain: TransformChain): string[] {
  const made = new Set<string>();
  const required = new Set<string>();
  const reads = (name: string): void => {
    if (!made.has(name)) required.add(name);
  };
  for (const step of chain.steps) {
    switch (step.kind) {
      case 'formula':
        for (const f of step.formulas) made.add(f.name);
        break;
      case 'onehot':
        for (const c of step.columns) {
          reads(c.name);
          for (const category of c.categories) made.add(category.column);
          if (c.other !== null) made.add(c.other);
        }
        break;
      case 'datetime':
        for (const c of step.columns) {
          reads(c.name);
          for (const f of c.features) made.add(f.column);
        }
        break;
      default:
        for (const c of step.columns) reads(c.name);
    }
  }
  return [...required];
}

/** A chain with one more fitted step; `output` is what the new step produced from the fit rows. */
export function extendTransformChain(upstream: TransformChain | undefined, step: TransformStep, fitColumns: Column[], output: Column[]): TransformChain {
  return {
    format: TRANSFORM_FORMAT,
    input: upstream ? upstream.input : fitColumns,
    steps: [...(upstream?.steps ?? []), step],
    output,
  };
}

/** Validates a chain read from anywhere (a port, a saved model, a file); a NodeError says what is wrong. */
export function parseTransformChain(json: unknown, port?: string): TransformChain {
  const where = port === undefined ? {} : { port };
  if (typeof json === 'object' && json !== null && 'format' in json && typeof json.format === 'string' && json.format !== TRANSFORM_FORMAT) {
    throw new NodeError(`The fitted transform has format ${JSON.stringify(json.format)}; this version of Trellis reads ${TRANSFORM_FORMAT}.`, {
      ...where,
      hint: 'Re-run the featurizers that made it, or open it with the Trellis version that wrote it.',
    });
  }
  const parsed = TransformChainSchema.safeParse(json);
  if (!parsed.success) {
    throw new NodeError(`The fitted transform is not valid: ${z.prettifyError(parsed.error)}`, { ...where, hint: 'Re-run the featurizers that made it.' });
  }
  return parsed.data;
}

/** Reads the chain a `transform` port value points at. */
export function loadTransformChain(artifacts: ArtifactStore, value: FileValue, port = 'transform'): TransformChain {
  if (value.kind !== 'transform') {
    throw new NodeError(`Input "${port}" should be a fitted transform but received a ${value.kind}.`, { port, hint: 'Connect the "transform" output of a featurizer.' });
  }
  let json: unknown;
  try {
    json = artifacts.readJson(value.artifact);
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new NodeError(`Could not read the fitted transform on input "${port}": ${message}`, { port, hint: 'Re-run the featurizer that made it.' });
  }
  return parseTransformChain(json, port);
}

/** Stores a chain as a `transform` port value: the JSON as an artifact, its outline as the summary. */
export function saveTransformChain(artifacts: ArtifactStore, chain: TransformChain): FileValue {
  return { kind: 'transform', artifact: artifacts.putJson(chain), summary: transformSummary(chain) };
}

/** What the canvas shows for a transform without reading the artifact. */
export function transformSummary(chain: TransformChain): Record<string, unknown> {
  return {
    format: chain.format,
    steps: chain.steps.map((s) => s.kind),
    inputColumns: chain.input.map((c) => c.name),
    columns: chain.output.map((c) => c.name),
  };
}

type Named = [name: string, expression: string];

function select(source: string, parts: { replace?: Named[]; exclude?: string[]; add?: Named[] }): string {
  let star = '*';
  if (parts.exclude?.length) star += ` EXCLUDE (${parts.exclude.map(sqlIdentifier).join(', ')})`;
  if (parts.replace?.length) star += ` REPLACE (${parts.replace.map(as).join(', ')})`;
  return `SELECT ${[star, ...(parts.add ?? []).map(as)].join(', ')} FROM ${source}`;
}

function as([name, expression]: Named): string {
  return `${expression} AS ${sqlIdentifier(name)}`;
}

function asText(column: string): string {
  return `CAST(${sqlIdentifier(column)} AS VARCHAR)`;
}

const ONE = 'CAST(1 AS TINYINT)';
const ZERO = 'CAST(0 AS TINYINT)';

function onehotColumns(c: z.infer<typeof OnehotStepSchema>['columns'][number]): Named[] {
  const text = asText(c.name);
  // Typed constants rather than a cast of the CASE: one less function call per row and column.
  const columns = c.categories.map((category): Named => [category.column, `CASE WHEN ${text} = ${sqlString(category.value)} THEN ${ONE} ELSE ${ZERO} END`]);
  if (c.other !== null) {
    const known = c.categories.length ? ` OR ${text} IN (${c.categories.map((k) => sqlString(k.value)).join(', ')})` : '';
    columns.push([c.other, `CASE WHEN ${text} IS NULL${known} THEN ${ZERO} ELSE ${ONE} END`]);
  }
  return columns;
}

function ordinalCode(c: z.infer<typeof OrdinalStepSchema>['columns'][number]): string {
  const text = asText(c.name);
  const codes = c.categories.map((value, i) => ` WHEN ${sqlString(value)} THEN ${i}`).join('');
  return `CAST(CASE WHEN ${text} IS NULL THEN NULL ELSE CASE ${text}${codes} ELSE ${c.unknown} END END AS INTEGER)`;
}

function binIndex(column: string, edges: number[]): string {
  const value = numericValue(column);
  const inner = edges.slice(1, -1).map((edge, i) => ` WHEN ${value} < ${sqlDouble(edge)} THEN ${i}`).join('');
  return `CAST(CASE WHEN ${value} IS NULL THEN NULL${inner} ELSE ${edges.length - 2} END AS INTEGER)`;
}

/** Zero-based position in each cycle and the cycle's length, for the sin/cos encodings. */
const CYCLES: Record<CyclicalPart, { position: (t: string) => string; period: number }> = {
  month: { position: (t) => `(month(${t}) - 1)`, period: 12 },
  weekday: { position: (t) => `(isodow(${t}) - 1)`, period: 7 },
  hour: { position: (t) => `hour(${t})`, period: 24 },
};

type DatetimeFeature = z.infer<typeof DatetimeStepSchema>['columns'][number]['features'][number];

function datetimeFeature(column: string, cast: boolean, feature: DatetimeFeature): string {
  const t = cast ? `CAST(${sqlIdentifier(column)} AS TIMESTAMP)` : sqlIdentifier(column);
  if (feature.encoding !== 'value') {
    const cycle = CYCLES[feature.part];
    return `${feature.encoding}(2 * pi() * ${cycle.position(t)} / ${cycle.period})`;
  }
  // Weekday counts from Monday = 0, as pandas does; DuckDB's isodow is Monday = 1.
  const value = feature.part === 'weekday' ? `isodow(${t}) - 1` : `${feature.part}(${t})`;
  return `CAST(${value} AS INTEGER)`;
}
