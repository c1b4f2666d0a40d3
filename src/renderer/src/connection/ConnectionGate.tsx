/**
 * Connects to the engine before anything else shows, and covers the whole window with a plain message while
 * connecting, when connecting fails, and when the connection drops (the studio cannot work without its engine).
 */
import { useEffect, useState, type ReactNode } from 'react';
import { ServicesContext } from '../app/servicesContext';
import { createStudioServices, type StudioServices } from '../app/studioServices';
import { installTestHooks } from '../app/testHooks';
import { describeError } from '../jobs/errorSentences';
import { connectStudio } from './connectStudio';

type ConnectionState =
  | { readonly phase: 'connecting' }
  | { readonly phase: 'connected'; readonly services: StudioServices }
  | { readonly phase: 'failed'; readonly message: string }
  | { readonly phase: 'disconnected'; readonly services: StudioServices };

function FullWindowMessage({ title, message, canRetry, testId }: { title: string; message: string; canRetry: boolean; testId: string }) {
  return (
    <div className="full-window-message" role={canRetry ? 'alert' : 'status'} data-testid={testId}>
      <div className="full-window-card">
        <h1>{title}</h1>
        <p>{message}</p>
        {canRetry && (
          <button type="button" className="button primary" onClick={() => location.reload()}>
            Reconnect
          </button>
        )}
      </div>
    </div>
  );
}

/** Renders `children` with the services once connected. */
export function ConnectionGate({ children }: { children: ReactNode }) {
  const [state, setState] = useState<ConnectionState>({ phase: 'connecting' });

  useEffect(() => {
    let isCancelled = false;
    let cleanUp = () => {};
    connectStudio().then(
      (connection) => {
        if (isCancelled) return connection.dispose();
        const services = createStudioServices(connection);
        const uninstallHooks = installTestHooks(services.compositor, services.store, services.previews);
        const stopListening = connection.onDisconnect(() => setState({ phase: 'disconnected', services }));
        cleanUp = () => {
          stopListening();
          uninstallHooks();
          services.dispose();
          connection.dispose();
        };
        setState({ phase: 'connected', services });
      },
      (error: unknown) => {
        if (!isCancelled) setState({ phase: 'failed', message: describeError(error) });
      },
    );
    return () => {
      isCancelled = true;
      cleanUp();
    };
  }, []);

  switch (state.phase) {
    case 'connecting':
      return <FullWindowMessage title="Connecting…" message="Starting the Matte Studio engine." canRetry={false} testId="connection-connecting" />;
    case 'failed':
      return <FullWindowMessage title="Could not connect" message={state.message} canRetry testId="connection-error" />;
    case 'disconnected':
      // The studio stays underneath, frozen, so the artist can still see where they were.
      return (
        <ServicesContext.Provider value={state.services}>
          <div className="studio-frozen" inert>
            {children}
          </div>
          <FullWindowMessage
            title="Disconnected"
            message="The connection to the Matte Studio engine was lost. Reconnect once the engine runs again; work not yet exported may be lost."
            canRetry
            testId="connection-lost"
          />
        </ServicesContext.Provider>
      );
    case 'connected':
      return <ServicesContext.Provider value={state.services}>{children}</ServicesContext.Provider>;
  }
}
