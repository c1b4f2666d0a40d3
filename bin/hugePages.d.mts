// Types of hugePages.mjs for the TypeScript tests that import it.

/** What the relaunch decision reads of the process and the machine. */
export interface HugePageFacts {
  platform: NodeJS.Platform;
  glibc: boolean;
  /** The kernel's transparent huge page mode (`always`, `madvise`, `never`), if known. */
  thpMode: string | undefined;
  /** This process's pid, written into the relaunched process's environment. */
  pid: number;
}

export function relaunchEnvironment(command: string | undefined, env: NodeJS.ProcessEnv, facts?: HugePageFacts): NodeJS.ProcessEnv | undefined;
export function relaunch(env: NodeJS.ProcessEnv): Promise<number>;
export function endWithLauncher(env: NodeJS.ProcessEnv): void;
