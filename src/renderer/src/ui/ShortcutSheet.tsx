/** The `?` sheet: every keyboard shortcut, generated from the one table the key handler uses (`tools/shortcuts.ts`). */
import { useMemo } from 'react';
import { runCommand } from '../app/commands';
import { useServices, useUi } from '../app/servicesContext';
import { isMacPlatform, shortcutSheet } from '../tools/shortcuts';
import { ModalDialog } from './ModalDialog';
import './shortcutSheet.css';

/** The shortcut sheet (shown while `isShortcutSheetVisible`). */
export function ShortcutSheet() {
  const services = useServices();
  const isVisible = useUi((state) => state.isShortcutSheetVisible);
  const sections = useMemo(() => shortcutSheet(isMacPlatform(navigator.platform || navigator.userAgent)), []);
  if (!isVisible) return null;
  return (
    <ModalDialog title="Keyboard shortcuts" className="shortcut-sheet" testId="shortcut-sheet" closeTestId="shortcut-sheet-close" onClose={() => runCommand(services, 'showShortcuts')}>
      <div className="shortcut-sections">
        {sections.map((section) => (
          <section key={section.group} className="shortcut-section" aria-label={section.group}>
            <h3>{section.group}</h3>
            <dl>
              {section.rows.map((row) => (
                <div key={row.command} className="shortcut-row" data-testid="shortcut-row" data-command={row.command}>
                  <dt>
                    {row.keys.map((key, index) => (
                      <span key={key}>
                        {index > 0 && <span className="shortcut-or"> or </span>}
                        <kbd>{key}</kbd>
                      </span>
                    ))}
                  </dt>
                  <dd>{row.description}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </ModalDialog>
  );
}
