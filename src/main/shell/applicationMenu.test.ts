import { describe, expect, it } from 'vitest';
import { buildApplicationMenu } from './applicationMenu';

describe('application menu', () => {
  it('has File, Edit, View, Window and Help with the usual accelerators, routing undo to the document', () => {
    const commands: string[] = [];
    const menu = buildApplicationMenu({ openFiles: () => commands.push('open'), openFolder: () => {}, sendCommand: (command) => commands.push(command), openExternal: () => {} }, 'linux');
    expect(menu.map((entry) => entry.label ?? entry.role)).toEqual(['File', 'Edit', 'View', 'windowMenu', 'help']);
    const items = menu.flatMap((entry) => (Array.isArray(entry.submenu) ? entry.submenu : []));
    const byLabel = (label: string) => items.find((item) => item.label === label)!;
    expect(byLabel('Open Files…').accelerator).toBe('CmdOrCtrl+O');
    expect(byLabel('Redo').accelerator).toBe('Ctrl+Y');
    (byLabel('Undo').click as () => void)();
    (byLabel('Open Files…').click as () => void)();
    expect(commands).toEqual(['undo', 'open']);
    expect(buildApplicationMenu({ openFiles() {}, openFolder() {}, sendCommand() {}, openExternal() {} }, 'darwin')[0]!.role).toBe('appMenu');
  });
});
