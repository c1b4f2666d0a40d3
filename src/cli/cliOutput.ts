/** Where the CLI writes: injectable so tests capture output without spawning a process. */
export interface CliOutput {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** The process's stdout and stderr. */
export const processOutput: CliOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Thrown for bad command-line usage; the CLI prints the message and exits with code 2. */
export class UsageError extends Error {}
