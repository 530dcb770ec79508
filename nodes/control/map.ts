import { z } from 'zod';
import type { NodeContext } from '../../engine/node/nodeContext.js';
import { defineNode, type AnyNodeDefinition } from '../../engine/node/nodeDefinition.js';
import { NodeError } from '../../engine/node/nodeError.js';
import { nodeInputs } from '../../engine/node/nodeInputs.js';
import type { NodeOutputs, PortValue, TableValue } from '../../engine/node/portValue.js';

type Item = string | number | boolean;
type Cell = string | number | boolean | null;
/** Finds the inner node's definition: the built-in catalog, or a test's own registry. */
export type ResolveNode = (type: string, version: number) => AnyNodeDefinition | undefined | Promise<AnyNodeDefinition | undefined>;

const Scalar = z.union([z.string(), z.number(), z.boolean()]);
const ITEM = /^\s*\{\{\s*item\s*\}\}\s*$/;
const ITEM_ANYWHERE = /\{\{\s*item\s*\}\}/g;

/**
 * Fans one step out over a list, one in-process run of an inner node per item (e.g. one model
 * per segment), and collects what each produced into one table: a row per item with the inner
 * node's metrics as columns, and its table row counts and file artifacts. The items are a list
 * (`items`, or a comma-separated string so a pipeline param can supply it) or the distinct values
 * of a column of the input table; with a column, each run's `input` port gets only that item's
 * rows. `{{ item }}` in the inner params is replaced by the item. More items than `maxItems` is
 * an error, not a silent cut. Items run one after another, sharing this task's slot.
 */
export function mapNode(resolve: ResolveNode): AnyNodeDefinition {
  return defineNode({
    type: 'control.map',
    version: 1,
    title: 'Map (fan out)',
    category: 'control',
    description: 'Runs an inner node once per item of a list or per distinct value of a column (e.g. one model per segment) and collects the results as one table.',
    inputs: [{ name: 'table', type: 'table', optional: true, description: 'split by `column` (or given whole to every item) on the inner node\'s `input` port' }],
    outputs: [{ name: 'results', type: 'table', description: 'one row per item: the item, then the inner node\'s metrics, table row counts and artifacts' }],
    params: z.object({
      node: z
        .object({ type: z.string().min(1), version: z.int().min(1), params: z.record(z.string(), z.unknown()).default({}) })
        .describe('the inner step: a node type, its version and its params ("{{ item }}" is the current item)'),
      items: z.union([z.array(Scalar), z.string()]).optional().describe('the list to map over; a string is split on commas'),
      column: z.string().min(1).optional().describe('map over the distinct values of this column of the input table instead'),
      input: z.string().min(1).default('table').describe('the inner node\'s input port that receives the (per-item) table'),
      maxItems: z.int().min(1).max(1000).default(20).describe('the most items it fans out to'),
    }),
    async execute(ctx) {
      const { params } = ctx;
      const inner = await resolve(params.node.type, params.node.version);
      if (!inner) throw new NodeError(`There is no node type ${params.node.type} v${params.node.version} to map.`, { param: 'node', hint: 'List the node types with `trellis nodes`.' });
      const table = ctx.inputs.optionalTable('table');
      const items = await itemsOf(ctx, table);
      if (items.length > params.maxItems) {
        throw new NodeError(`Mapping over ${items.length} items, more than maxItems (${params.maxItems}).`, { param: 'maxItems', hint: 'Raise maxItems, or filter the list first.' });
      }
      ctx.log.info(`mapping ${inner.type} over ${items.length} item${items.length === 1 ? '' : 's'}: ${items.map((i) => JSON.stringify(i)).join(', ')}`);
      const rows: Array<Record<string, Cell>> = [];
      for (const [index, item] of items.entries()) {
        ctx.signal.throwIfAborted();
        const parsed = inner.params.safeParse(withItem(params.node.params, item));
        if (!parsed.success) {
          throw new NodeError(`The inner ${inner.type} params for item ${JSON.stringify(item)} are invalid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(params)'}: ${i.message}`).join('; ')}`, { param: 'node' });
        }
        const inputs: Record<string, PortValue[]> = {};
        if (table) inputs[params.input] = [params.column === undefined ? table : await ctx.data.writeTable(`SELECT * FROM ${ctx.data.from(table)} WHERE ${quoteName(params.column)} IS NOT DISTINCT FROM ?`, [item])];
        const innerCtx: NodeContext<Record<string, unknown>> = {
          ...ctx,
          params: parsed.data,
          inputs: nodeInputs(inputs),
          log: prefixed(ctx, `[${String(item)}] `),
          progress: (fraction, message) => ctx.progress((index + fraction) / items.length, message),
          metric: (name, value) => ctx.metric(`${String(item)}.${name}`, value),
        };
        let outputs: NodeOutputs;
        try {
          outputs = await inner.execute(innerCtx);
        } catch (cause) {
          const message = cause instanceof Error ? cause.message : String(cause);
          throw new NodeError(`The inner ${inner.type} failed for item ${JSON.stringify(item)}: ${message}`, { param: 'node' });
        }
        rows.push({ item, ...flatten(outputs) });
      }
      return { results: await writeRows(ctx, rows) };
    },
  });
}

async function itemsOf(ctx: NodeContext<{ items?: Item[] | string; column?: string }>, table: TableValue | undefined): Promise<Item[]> {
  const { items, column } = ctx.params;
  if (column !== undefined) {
    if (!table) throw new NodeError('"column" maps over the input table, but no table is connected.', { param: 'column', port: 'table' });
    if (!table.columns.some((c) => c.name === column)) {
      throw new NodeError(`The input table has no column "${column}". Columns: ${table.columns.map((c) => c.name).join(', ')}.`, { param: 'column' });
    }
    const found = await ctx.data.rows(`SELECT DISTINCT ${quoteName(column)} AS item FROM ${ctx.data.from(table)} WHERE ${quoteName(column)} IS NOT NULL ORDER BY 1`);
    return found.map((row) => {
      const value = row.item;
      return typeof value === 'bigint' ? Number(value) : typeof value === 'number' || typeof value === 'boolean' ? value : String(value);
    });
  }
  if (items === undefined) throw new NodeError('Give the items to map over ("items") or a column of the input table ("column").', { param: 'items' });
  return typeof items === 'string' ? items.split(',').map((s) => s.trim()).filter((s) => s.length > 0) : items;
}

/** The inner params with "{{ item }}" replaced: a whole-string reference keeps the item's type. */
function withItem(value: unknown, item: Item): unknown {
  if (typeof value === 'string') return ITEM.test(value) ? item : value.replace(ITEM_ANYWHERE, String(item));
  if (Array.isArray(value)) return value.map((v) => withItem(v, item));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withItem(v, item)]));
  return value;
}

/** One item's outputs as cells: metrics by name, table row counts, file artifact ids. */
function flatten(outputs: NodeOutputs): Record<string, Cell> {
  const cells: Record<string, Cell> = {};
  for (const [port, value] of Object.entries(outputs)) {
    if (value.kind === 'metrics') for (const [name, number] of Object.entries(value.values)) cells[`${port}.${name}`] = number;
    else if (value.kind === 'table') {
      cells[`${port}.rows`] = value.rows;
      cells[`${port}.artifact`] = value.artifact;
    } else cells[`${port}.artifact`] = value.artifact;
  }
  return cells;
}

async function writeRows(ctx: NodeContext<unknown>, rows: Array<Record<string, Cell>>): Promise<TableValue> {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  if (rows.length === 0) return ctx.data.writeTable('SELECT NULL::VARCHAR AS item WHERE false');
  const tuples = rows.map(() => `(${columns.map(() => '?').join(', ')})`).join(', ');
  const values = rows.flatMap((row) => columns.map((c) => row[c] ?? null));
  return ctx.data.writeTable(`SELECT * FROM (VALUES ${tuples}) AS t(${columns.map(quoteName).join(', ')})`, values);
}

function quoteName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function prefixed(ctx: NodeContext<unknown>, prefix: string): NodeContext<unknown>['log'] {
  return {
    debug: (m) => ctx.log.debug(prefix + m),
    info: (m) => ctx.log.info(prefix + m),
    warn: (m) => ctx.log.warn(prefix + m),
    error: (m) => ctx.log.error(prefix + m),
  };
}

/** control.map over the built-in catalog (loaded on first use: the catalog itself lists this node). */
export default mapNode(async (type, version) => (await import('../catalog.js')).builtinRegistry().get(type, version));
