// The desktop app's main process: hosts the engine (one workspace, the built-in node catalog),
// serves the built UI from a custom scheme, and answers the renderer over the IPC contract.
// Heavy work stays off this thread: nodes compute on worker threads, DuckDB on its own threads.
import { BrowserWindow, Menu, Notification, app, ipcMain, protocol, shell } from 'electron';
import { join } from 'node:path';
import { EngineService } from '../engine/api/engineService.js';
import { ENGINE_API } from '../engine/api/engineApi.js';
import { installPaths } from '../engine/server/installPaths.js';
import { Workspace } from '../engine/workspace/workspace.js';
import { trellisHome } from '../engine/workspace/trellisHome.js';
import { builtinRegistry } from '../nodes/catalog.js';
import { appMenuTemplate } from './appMenu.js';
import { appResponse } from './appContent.js';
import { handleRpc, trustedSender } from './ipcHandler.js';
import { APP_ORIGIN, APP_SCHEME, IPC } from './ipcChannels.js';

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let window: BrowserWindow | undefined;

async function start(): Promise<void> {
  const paths = installPaths();
  const home = trellisHome(undefined);
  const workspace = await Workspace.open(home, builtinRegistry());
  const service = new EngineService(workspace, { examplesDir: paths.examplesDir, pipelinesDir: join(home, 'pipelines') });

  protocol.handle(APP_SCHEME, (request) => appResponse(paths.staticDir, request.url));
  ipcMain.on(IPC.methods, (event) => {
    event.returnValue = trustedSender(event.senderFrame?.url) ? Object.keys(ENGINE_API) : [];
  });
  ipcMain.handle(IPC.rpc, (event, request: unknown) => handleRpc(service, event.senderFrame?.url, request));
  service.subscribe((runEvent) => {
    window?.webContents.send(IPC.runEvent, runEvent);
    // Desktop alerts also reach the system's notification area, where it has one.
    if (runEvent.type === 'alert' && Notification.isSupported()) new Notification({ title: runEvent.alert.title, body: runEvent.alert.message }).show();
  });
  // Runs left waiting for an approval (their process let go) continue here once decided.
  service.watchApprovals(5000);

  window = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Trellis',
    webPreferences: {
      preload: join(import.meta.dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  // The page never navigates away or opens windows; links to the web open in the browser.
  window.webContents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.on('closed', () => (window = undefined));
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(() => window, process.platform === 'darwin')));
  await window.loadURL(`${APP_ORIGIN}/index.html`);

  app.on('before-quit', (event) => {
    if (!service) return;
    event.preventDefault();
    void service.shutdown().finally(() => workspace.close()).finally(() => app.exit(0));
  });
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});
app.on('window-all-closed', () => app.quit());
app.whenReady().then(start).catch((cause: unknown) => {
  console.error('[trellis] the app failed to start:', cause);
  app.exit(1);
});
