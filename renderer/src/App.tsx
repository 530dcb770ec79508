import type { ReactElement } from 'react';
import { Canvas } from './canvas/Canvas.js';
import { NodeContextMenu } from './canvas/NodeContextMenu.js';
import { DashboardView } from './dashboard/DashboardView.js';
import { ConfirmDialog } from './dialogs/ConfirmDialog.js';
import { ExportServerDialog } from './dialogs/ExportServerDialog.js';
import { ImportDialog } from './dialogs/ImportDialog.js';
import { PipelinesDialog } from './dialogs/PipelinesDialog.js';
import { RunParamsDialog } from './dialogs/RunParamsDialog.js';
import { Inspector } from './inspector/Inspector.js';
import { Palette } from './palette/Palette.js';
import { BottomPanel } from './panels/BottomPanel.js';
import { ApprovalsView } from './approvals/ApprovalsView.js';
import { ModelsView } from './registry/ModelsView.js';
import { useUiStore } from './stores/uiStore.js';
import { HelpPopover } from './toolbar/HelpPopover.js';
import { Toast } from './toolbar/Toast.js';
import { Toolbar } from './toolbar/Toolbar.js';
import { useMenuCommands } from './toolbar/useMenuCommands.js';
import { useShortcuts } from './toolbar/useShortcuts.js';

/**
 * The studio: the toolbar over one of four views — the canvas editor (palette, canvas, inspector
 * and the bottom panel), a pipeline's dashboard, the model registry, or the approvals inbox. The canvas unmounts while
 * another view shows; its document, selection and viewport live in stores and survive.
 */
export function App(): ReactElement {
  useShortcuts();
  useMenuCommands();
  const dialog = useUiStore((s) => s.dialog);
  const view = useUiStore((s) => s.view);
  return (
    <div className={`app app--${view}`}>
      <Toolbar />
      {view === 'canvas' && (
        <>
          <Palette />
          <main className="app-center">
            <Canvas />
            <BottomPanel />
          </main>
          <Inspector />
        </>
      )}
      {view === 'dashboard' && <DashboardView />}
      {view === 'models' && <ModelsView />}
      {view === 'approvals' && <ApprovalsView />}
      <Toast />
      <NodeContextMenu />
      <HelpPopover />
      {dialog === 'import' && <ImportDialog />}
      {dialog === 'pipelines' && <PipelinesDialog />}
      {dialog === 'export-server' && <ExportServerDialog />}
      {dialog === 'run-params' && <RunParamsDialog />}
      <ConfirmDialog />
    </div>
  );
}
