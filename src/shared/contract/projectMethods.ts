/**
 * The studio contract's project requests: save and open `.mattestudio` projects, the recent list, autosave and crash
 * recovery, and the paths the studio was started with. Spread into `studioContract.ts` through
 * {@link defineProjectMethods}, which takes the contract's shared schemas as arguments: `studioContract.ts` imports
 * this file, so importing it back (or `projectFile.ts`, which imports the contract) would be a cycle.
 *
 * Hand-edit tiles never travel with a save: the engine already holds them (`setMaskEdit`), so the renderer pushes
 * pending edits first and sends only the small document. Opening sends the tiles back in the wire form the renderer
 * deserialises (`maskEditStorage.ts`), and the engine keeps them too, so exports and the next save include them.
 *
 * Startup paths: `getStartupPaths` answers the files and folders given on the command line
 * (`matte-studio serve <paths…>`) exactly once; the renderer calls it when it is ready. Paths the OS sends later
 * (Electron: second launch, macOS open-file) arrive as `onOpenRequest`, which the renderer subscribes to before it
 * calls `getStartupPaths`, so Electron starts delivering its queue only then.
 */
import { z } from 'zod';
import { refinementSettingsSchema } from '../settings';

/** One item of the document as the renderer saves it (ids and paths are re-checked by the project format). */
export const projectItemStateSchema = z.object({
  id: z.string().min(1).max(64),
  path: z.string().min(1).max(4096),
  kind: z.enum(['image', 'clip']),
  settings: refinementSettingsSchema,
  frameIndex: z.number().int().min(0),
  modelId: z.string().min(1).max(200).optional(),
});

/** The canvas view saved with a project (never undoable). */
export const projectViewStateSchema = z.object({
  zoom: z.number(),
  panX: z.number(),
  panY: z.number(),
  viewMode: z.string().max(32),
  overlayColor: z.string().max(64),
  overlayOpacity: z.number(),
  backgroundColor: z.string().max(64),
  splitFraction: z.number(),
});

/**
 * The "On picture" view's picture: the file name the artist chose, and the copy the engine keeps (the path
 * `storeBackgroundPicture` answered; the engine refuses any other).
 */
export const projectBackgroundStateSchema = z.object({ name: z.string().min(1).max(255), path: z.string().min(1).max(4096) });

/** The document part of a project: what `saveProject` and `markDocumentChanged` carry. */
export const projectDocumentStateSchema = z.object({
  items: z.array(projectItemStateSchema).max(100_000),
  activeItemId: z.string().nullable(),
  view: projectViewStateSchema.optional(),
  backgroundPicture: projectBackgroundStateSchema.optional(),
});

/** Where the open project lives; `path` null while it was never saved. */
export const projectIdentitySchema = z.object({
  path: z.string().nullable(),
  /** The file name without `.mattestudio`, or `Untitled`. */
  name: z.string(),
  projectId: z.string().nullable(),
});

/** A recovery copy of a studio session that did not exit cleanly. */
export const recoverableSessionSchema = z.object({
  sessionId: z.string(),
  /** The project the session had open, if it was ever saved. */
  projectPath: z.string().nullable(),
  /** Its name, or `Untitled`. */
  projectName: z.string(),
  /** ISO time the recovery copy was written. */
  savedAt: z.string(),
  itemCount: z.number().int().min(0),
});

/** The project methods over the contract's shared schemas (see the file comment for why it is a function). */
export function defineProjectMethods<Item extends z.ZodType, Tiles extends z.ZodType, Failure extends z.ZodType>(shared: { itemInfo: Item; maskTiles: Tiles; openFailure: Failure }) {
  /** What opening a project (or recovering a session) gives the renderer to load into its document. */
  const openedProjectSchema = z.object({
    project: projectIdentitySchema,
    /** The items that opened, registered in the engine (ids may differ from the file's when media moved). */
    items: z.array(shared.itemInfo),
    /** Per opened item (by the `items` ids): settings and timeline position. */
    states: z.array(z.object({ itemId: z.string(), settings: refinementSettingsSchema, frameIndex: z.number().int().min(0), modelId: z.string().optional() })),
    activeItemId: z.string().nullable(),
    view: projectViewStateSchema.optional(),
    /** The project's background picture, kept by the engine again (its bytes: `backgroundPicturePath`). */
    backgroundPicture: projectBackgroundStateSchema.optional(),
    /** Hand edits per opened item and frame, wire form. */
    maskEdits: z.array(z.object({ itemId: z.string(), frameIndex: z.number().int().min(0), edit: shared.maskTiles })),
    /** Media that could not be opened (their items, settings and edits are left out). */
    failures: z.array(shared.openFailure),
    /** Plain sentences: settings reset, media not found, hand edits skipped. */
    warnings: z.array(z.string()),
    /** True for a recovered session: the document differs from the saved project, so it starts unsaved. */
    isUnsaved: z.boolean(),
  });

  return {
    /**
     * Saves the document with the hand edits the engine holds. `path` absent: over the open project (an error when
     * it was never saved); a path other than the open project's: Save As (a new project id, `.mattestudio` added).
     * Adds the path to the recent list and clears the recovery copy. Save As onto a file that exists fails with
     * OUTPUT_EXISTS unless `replace` says the user agreed to replace it.
     */
    saveProject: {
      input: z.object({ path: z.string().min(1).max(4096).optional(), document: projectDocumentStateSchema, replace: z.boolean().default(false) }),
      output: z.object({ project: projectIdentitySchema, savedAt: z.string() }),
    },
    /** Opens a project: registers its media as items and loads its edits into the engine. */
    openProject: { input: z.object({ path: z.string().min(1).max(4096) }), output: openedProjectSchema },
    /** Newest first; `exists` false for projects no longer on disk. */
    listRecentProjects: {
      input: z.object({}),
      output: z.object({ projects: z.array(z.object({ path: z.string(), name: z.string(), openedAt: z.string(), exists: z.boolean() })), warnings: z.array(z.string()) }),
    },
    /** Sessions that crashed with unsaved work, newest first (this studio's own session never appears). */
    listRecoverableSessions: { input: z.object({}), output: z.object({ sessions: z.array(recoverableSessionSchema) }) },
    /** Opens a crashed session's recovery copy (as `openProject`), takes it over into this session, deletes the old one. */
    recoverSession: { input: z.object({ sessionId: z.string().min(1).max(200) }), output: openedProjectSchema },
    /** Deletes a crashed session's recovery copy. */
    discardRecoverableSession: { input: z.object({ sessionId: z.string().min(1).max(200) }), output: z.object({ ok: z.literal(true) }) },
    /**
     * The document changed (the renderer calls this at most about once a second): the engine keeps it and autosaves
     * it with the hand edits it holds after a quiet moment.
     */
    markDocumentChanged: { input: z.object({ document: projectDocumentStateSchema }), output: z.object({ ok: z.literal(true) }) },
    /** Paths the studio was started with; answered once (later calls get none). */
    getStartupPaths: { input: z.object({}), output: z.object({ paths: z.array(z.string()) }) },
  } as const;
}
