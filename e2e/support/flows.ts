import { expect } from '@playwright/test';
import type { Studio } from './studio.js';

/**
 * The user flows, written once against a Studio so the browser specs and the Electron spec run
 * the same steps. Positions are pixels inside the canvas pane (1020 × 664 at the configured
 * viewport), chosen so nodes neither overlap each other nor the minimap in the bottom-right.
 */

/** Dragging a table output onto a transform input is refused with a reason, and adds no edge. */
export async function incompatibleConnectionFlow(studio: Studio): Promise<void> {
  await studio.newPipeline();
  const sample = await studio.dragFromPalette('source.sample', { x: 120, y: 120 });
  const apply = await studio.dragFromPalette('featurize.apply', { x: 520, y: 120 });
  await studio.shot('two-nodes');

  await studio.dragConnection({ node: sample, port: 'table' }, { node: apply, port: 'transform' });
  const toast = studio.toast();
  await expect(toast).toBeVisible();
  await expect(toast).toHaveAttribute('data-kind', 'error');
  await expect(toast).toContainText(`${sample}.table gives a table, but ${apply}.transform takes a transform`);
  await expect(studio.edges()).toHaveCount(0);
  await studio.shot('refused');

  // The same gesture onto the matching port is accepted: the refusal above was the type rule,
  // not a drag that missed its target.
  await studio.connect({ node: sample, port: 'table' }, { node: apply, port: 'table' });
  await expect(studio.edges()).toHaveCount(1);
  await studio.shot('accepted');
}

/** A SQL node with a syntax error fails, and says why on the node and in the inspector. */
export async function failingNodeFlow(studio: Studio): Promise<void> {
  await studio.newPipeline();
  const sql = await studio.dragFromPalette('data.sql', { x: 300, y: 150 });
  await studio.setCode(sql, 'query', 'SELEC 1 AS broken');
  await studio.shot('bad-query');
  await studio.run();
  await studio.expectNodeState(sql, 'failed');
  await studio.expectRunState('failed');

  const onNode = studio.page.getByTestId(`node-error-${sql}`);
  await expect(onNode).toBeVisible();
  await expect(onNode).toContainText('query:');
  await expect(onNode).toContainText(/syntax error/i);

  await studio.select(sql);
  const inInspector = studio.page.getByTestId('inspector-error');
  await expect(inInspector).toBeVisible();
  await expect(inInspector).toContainText('query:');
  await expect(inInspector).toContainText(/syntax error/i);
  await studio.shot('failed');
}

/** A 60-second sleep is stopped from the toolbar: node and run end cancelled within seconds. */
export async function stopLongRunFlow(studio: Studio): Promise<void> {
  await studio.newPipeline();
  const sleep = await studio.dragFromPalette('debug.sleep', { x: 300, y: 150 });
  await studio.setParam(sleep, 'ms', '60000');
  await studio.run();
  await studio.expectNodeState(sleep, 'running', 30_000);
  await expect(studio.page.getByTestId(`node-progress-${sleep}`)).toBeVisible();
  await studio.shot('running');

  await studio.page.getByTestId('stop').click();
  // Well under the 60 s the node would otherwise take: cancel reaches its child process.
  await studio.expectNodeState(sleep, 'cancelled', 10_000);
  await studio.expectRunState('cancelled', 10_000);
  await expect(studio.page.getByTestId('stop')).toBeDisabled();
  await studio.shot('cancelled');
}

/** The node types the new-user flow trains and evaluates with, in order of preference. */
const TRAINERS = ['train.logistic_regression', 'train.gradient_boosting'] as const;
const EVALUATOR = 'evaluate.classification';

/**
 * Fails (never skips) when the catalog lacks the model nodes the flow needs, naming them: the
 * flow is the product's main promise, so a catalog without them is a failure to report.
 */
async function requireModelNodes(studio: Studio): Promise<string> {
  const has = async (type: string): Promise<boolean> => (await studio.page.getByTestId(`palette-item-${type}`).count()) > 0;
  await studio.page.getByTestId('palette-search').fill('');
  const trainer = (await Promise.all(TRAINERS.map(async (type) => ((await has(type)) ? type : undefined)))).find((t) => t !== undefined);
  const missing = [...(trainer ? [] : [TRAINERS.join(' or ')]), ...((await has(EVALUATOR)) ? [] : [EVALUATOR])];
  if (missing.length > 0 || !trainer) {
    throw new Error(`The node catalog has no ${missing.join(' and ')}: the new-user flow cannot train and evaluate a model. Build the catalog with those nodes (nodes/train, nodes/evaluate) and rerun.`);
  }
  return trainer;
}

/** Arranges the graph left to right and fits it into view, as a user tidying the canvas would. */
async function layoutAndFit(studio: Studio): Promise<void> {
  await studio.page.getByTestId('layout').click();
  await studio.page.getByTestId('fit').click();
}

/** Sum of the counts in the confusion matrix on screen. */
async function confusionTotal(studio: Studio): Promise<number> {
  const cells = await studio.page.getByTestId('confusion-matrix').locator('.confusion-cell').allInnerTexts();
  return cells.reduce((sum, text) => sum + Number(text), 0);
}

/**
 * A new user's first pipeline: the app opens on the bundled example; they start a new pipeline,
 * drag sample → split → scale → train → evaluate from the palette, wire them, set the label
 * column, run it, look at the evaluation (ROC curve and confusion matrix), save, reload, and open
 * it again from the saved-pipelines list.
 */
export async function newUserFlow(studio: Studio, options: { pipelineId: string }): Promise<void> {
  const { page } = studio;
  // First screen: a bundled example (the server seeds them into a fresh workspace; the desktop
  // app opens the first one), drawn on the canvas and listed among the examples.
  await expect(page.locator('[data-testid^="node-"][data-node-type]').first()).toBeVisible();
  const firstTitle = (await page.getByTestId('doc-title').innerText()).trim();
  await studio.shot('first-screen');
  await page.getByTestId('pipelines').click();
  await expect(page.getByTestId('pipelines-dialog').locator('[data-testid^="example-"]', { hasText: firstTitle })).toHaveCount(1);
  await page.getByTestId('dialog-close').click();
  await expect(page.getByTestId('pipelines-dialog')).toHaveCount(0);

  await studio.newPipeline();
  // Dropped anywhere, then laid out: the first node dropped into an empty pipeline moves the view.
  const sample = await studio.dragFromPalette('source.sample', { x: 120, y: 100 });
  const split = await studio.dragFromPalette('split.train_test', { x: 420, y: 100 });
  const scale = await studio.dragFromPalette('featurize.scale', { x: 720, y: 100 });
  await layoutAndFit(studio);
  await studio.connect({ node: sample, port: 'table' }, { node: split, port: 'table' });
  await studio.connect({ node: split, port: 'train' }, { node: scale, port: 'fit' });
  await studio.setParam(split, 'stratify', 'label');
  await studio.addColumn(scale, 'exclude', 'label');
  await studio.shot('data-steps');

  const trainer = await requireModelNodes(studio);
  const train = await studio.dragFromPalette(trainer, { x: 420, y: 450 });
  const evaluate = await studio.dragFromPalette(EVALUATOR, { x: 720, y: 450 });
  await layoutAndFit(studio);
  await studio.shot('five-nodes');
  // The model carries the fitted scaling (the transform input), so the evaluator scores the raw
  // test rows with it: the featurizer never sees the test rows at fit time.
  await studio.connect({ node: scale, port: 'fitted' }, { node: train, port: 'train' });
  await studio.connect({ node: scale, port: 'transform' }, { node: train, port: 'transform' });
  await studio.connect({ node: train, port: 'model' }, { node: evaluate, port: 'model' });
  await studio.connect({ node: split, port: 'test' }, { node: evaluate, port: 'table' });
  await layoutAndFit(studio);
  await studio.setParam(train, 'label', 'label');
  await expect(page.getByTestId('problems-panel')).toHaveAttribute('data-count', '0');
  await studio.shot('params-set');

  await studio.run();
  for (const id of [sample, split, scale, train, evaluate]) await studio.expectNodeState(id, 'succeeded', 90_000);
  await studio.expectRunState('succeeded');
  await studio.shot('succeeded');

  // The evaluation's preview: metrics, a ROC curve drawn as a line, and the confusion matrix,
  // whose counts add up to the test rows the split reported.
  await studio.select(split);
  const testRows = Number(await page.getByTestId('inspector-run').locator('tr', { hasText: 'test_rows' }).locator('td').innerText());
  expect(testRows).toBeGreaterThan(0);
  await studio.select(evaluate);
  await page.getByTestId('tab-output').click();
  const metrics = page.getByTestId('metrics-view');
  await expect(metrics).toBeVisible();
  const roc = metrics.getByTestId('curve-roc');
  await expect(roc).toBeVisible();
  await expect(roc.locator('.recharts-line-curve')).toHaveAttribute('d', /M[^L]*L.*L/);
  await expect(metrics.getByTestId('confusion-matrix').locator('.confusion-cell')).toHaveCount(4);
  expect(await confusionTotal(studio)).toBe(testRows);
  await roc.scrollIntoViewIfNeeded();
  await studio.shot('evaluation');

  await studio.namePipeline(options.pipelineId, 'E2E first model');
  await studio.save();

  // After a reload the app opens the newest saved pipeline: this one.
  await page.reload();
  await studio.ready();
  await expect(page.getByTestId('doc-title')).toContainText('E2E first model');
  // Away to the example and back through the list, so the list is what opens it.
  await page.getByTestId('pipelines').click();
  await page.getByTestId('pipelines-dialog').locator('[data-testid^="example-"]').first().click();
  await expect(page.getByTestId('doc-title')).not.toContainText('E2E first model');
  await expect(studio.node(sample)).toHaveCount(0);
  await page.getByTestId('pipelines').click();
  const entry = page.getByTestId('pipelines-dialog').getByTestId(`pipeline-${options.pipelineId}`);
  await expect(entry).toContainText('E2E first model');
  await studio.shot('pipelines-list');
  await entry.click();
  await expect(page.getByTestId('pipelines-dialog')).toHaveCount(0);
  await expect(page.getByTestId('doc-title')).toContainText('E2E first model');
  for (const id of [sample, split, scale, train, evaluate]) await expect(studio.node(id)).toBeVisible();
  await expect(studio.edges()).toHaveCount(6);
  await studio.select(scale);
  await expect(page.getByTestId('inspector').getByTestId('param-exclude-label')).toBeChecked();
  await studio.shot('reopened');
}

/**
 * A run waits at a control.approval node (holding no worker), a person approves it from the
 * Approvals inbox with a comment, and the run finishes.
 */
export async function approvalFlow(studio: Studio): Promise<void> {
  await studio.newPipeline();
  const gate = await studio.dragFromPalette('control.approval', { x: 300, y: 150 });
  await studio.setParam(gate, 'pollSeconds', '0.2');
  await studio.run();
  await studio.expectNodeState(gate, 'waiting', 30_000);
  await studio.shot('waiting');

  await studio.page.getByTestId('view-approvals').click();
  const inbox = studio.page.getByTestId('approvals-inbox');
  const approve = inbox.locator('[data-testid^="approve-"]').first();
  await expect(approve).toBeVisible();
  await expect(inbox).toContainText('Approve this run to continue?');
  await studio.shot('inbox');
  await approve.click();
  await expect(studio.page.getByTestId('confirm-change')).toContainText('waiting → approved');
  await studio.page.getByTestId('confirm-reason').fill('checked by the e2e flow');
  await studio.page.getByTestId('confirm-ok').click();
  await expect(inbox).toContainText('Nothing waits for approval', { timeout: 15_000 });

  await studio.page.getByTestId('view-canvas').click();
  await studio.expectNodeState(gate, 'succeeded', 30_000);
  await studio.expectRunState('succeeded', 30_000);
  await studio.shot('approved');
}
