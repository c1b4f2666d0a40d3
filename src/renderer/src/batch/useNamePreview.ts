/**
 * The live example of output names: asks the engine (`previewBatchNames`, the same naming as the run) a moment after
 * the form stops changing, cancelling the previous question.
 */
import { useEffect, useState } from 'react';
import type { StudioContract } from '../../../shared/contract/studioContract';
import type { MethodInput, MethodOutput } from '../../../shared/rpc/defineContract';
import type { StudioApi } from '../connection/connectStudio';
import { describeError, isCancellation } from '../jobs/errorSentences';

/** What the engine answered. */
export type NamePreview = MethodOutput<StudioContract, 'previewBatchNames'>;
/** What the dialog asks; `null` when the form cannot be previewed yet. */
export type NamePreviewQuery = MethodInput<StudioContract, 'previewBatchNames'> | null;

/** Waits this long after the last keystroke. */
const debounceMs = 250;

/**
 * The preview of `query` (stale answers are dropped), or the engine's sentence about what is wrong. A new `revision`
 * asks again with the same query (a run wrote files, so suffixes and skips change).
 */
export function useNamePreview(api: StudioApi, query: NamePreviewQuery, revision = 0): { preview: NamePreview | null; error: string | null } {
  const [state, setState] = useState<{ preview: NamePreview | null; error: string | null }>({ preview: null, error: null });
  const key = query ? JSON.stringify(query) : '';
  useEffect(() => {
    if (!query) {
      setState({ preview: null, error: null });
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      api.previewBatchNames(query, { signal: controller.signal }).then(
        (preview) => setState({ preview, error: null }),
        (error: unknown) => {
          if (!isCancellation(error)) setState({ preview: null, error: describeError(error) });
        },
      );
    }, debounceMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
    // The query is compared by value: a new object with the same fields asks nothing new.
  }, [api, key, revision]);
  return state;
}
