import type { MenuItemConstructorOptions } from 'electron';

/** What the menu can ask of the app. */
export interface MenuActions {
  openFiles(): void;
  openFolder(): void;
  /** A renderer command (names as in the renderer's shortcut table). */
  sendCommand(command: 'undo' | 'redo' | 'zoomFit' | 'zoomActual' | 'zoomIn' | 'zoomOut' | 'save' | 'saveAs' | 'openProject'): void;
  openExternal(url: string): void;
}

/**
 * The application menu (File, Edit, View, Window, Help) with the usual accelerators. Undo/Redo go to the renderer's
 * document history (one gesture, one step), not to the page's text editing, except inside text fields.
 */
export function buildApplicationMenu(actions: MenuActions, platform: NodeJS.Platform): MenuItemConstructorOptions[] {
  const isMac = platform === 'darwin';
  return [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open Files…', accelerator: 'CmdOrCtrl+O', click: () => actions.openFiles() },
        { label: 'Open Folder…', accelerator: 'CmdOrCtrl+Shift+O', click: () => actions.openFolder() },
        { type: 'separator' },
        { label: 'Open Project…', click: () => actions.sendCommand('openProject') },
        ...(isMac ? [{ label: 'Open Recent', role: 'recentDocuments' as const, submenu: [{ role: 'clearRecentDocuments' as const }] }] : []),
        { label: 'Save Project', accelerator: 'CmdOrCtrl+S', click: () => actions.sendCommand('save') },
        { label: 'Save Project As…', accelerator: 'CmdOrCtrl+Shift+S', click: () => actions.sendCommand('saveAs') },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: 'Edit',
      submenu: [
        { label: 'Undo', accelerator: 'CmdOrCtrl+Z', click: () => actions.sendCommand('undo') },
        { label: 'Redo', accelerator: isMac ? 'Cmd+Shift+Z' : 'Ctrl+Y', click: () => actions.sendCommand('redo') },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: 'View',
      submenu: [
        { label: 'Fit to Window', accelerator: 'CmdOrCtrl+0', click: () => actions.sendCommand('zoomFit') },
        { label: 'Actual Size', accelerator: 'CmdOrCtrl+1', click: () => actions.sendCommand('zoomActual') },
        { label: 'Zoom In', accelerator: 'CmdOrCtrl+=', click: () => actions.sendCommand('zoomIn') },
        { label: 'Zoom Out', accelerator: 'CmdOrCtrl+-', click: () => actions.sendCommand('zoomOut') },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        { role: 'toggleDevTools' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ label: 'Matte Studio on the Web', click: () => actions.openExternal('https://github.com/') }],
    },
  ];
}
