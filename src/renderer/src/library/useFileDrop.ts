/**
 * Dropping files or folders on the window opens them. Electron gives real paths (through the preload's
 * `getPathForFile`); a browser page never learns them, so the web shell explains how to open instead.
 */
import { useEffect, useState } from 'react';
import type { StudioServices } from '../app/studioServices';
import { pushNotice } from '../jobs/jobStore';

const hasFiles = (event: DragEvent) => !!event.dataTransfer && [...event.dataTransfer.types].includes('Files');

/** Installs the drop handlers; returns whether files are being dragged over the window. */
export function useFileDrop(services: StudioServices): boolean {
  const [isDragging, setDragging] = useState(false);
  useEffect(() => {
    let depth = 0;
    const onEnter = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      depth++;
      setDragging(true);
    };
    const onLeave = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const onOver = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    };
    const onDrop = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      depth = 0;
      setDragging(false);
      const getPath = services.connection.bridge?.getPathForFile;
      const files = [...(event.dataTransfer?.files ?? [])];
      const paths = getPath ? files.map((file) => getPath(file)).filter((path) => typeof path === 'string' && path.length > 0) : [];
      if (paths.length > 0) void services.library.openPaths(paths);
      else pushNotice(services.jobs, 'warning', 'Dropped files cannot be opened in the browser. Use Open… and pick them or paste their path.');
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('dragover', onOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('drop', onDrop);
    };
  }, [services]);
  return isDragging;
}
