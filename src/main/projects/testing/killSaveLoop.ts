/**
 * Runs `saveLoopChild.ts` (saving versions n, n+1, … of the test project into `<folder>/project.mattestudio`) and
 * SIGKILLs it `delayMs` after its first finished save, so the kill lands anywhere in a later save. Returns the
 * versions the child reported as finished before it died.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const childScript = fileURLToPath(new URL('./saveLoopChild.ts', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('../../../..', import.meta.url));

/** Saves in a child process and kills it mid-loop; resolves with the finished versions. */
export async function killSaveLoop(folder: string, firstVersion: number, delayMs: number): Promise<number[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, 'save', folder, String(firstVersion)], { cwd: repositoryRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('saved ')) resolve();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`the save loop exited (${code}) before saving: ${stderr}`)));
  });
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  child.kill('SIGKILL');
  // 'close' comes after the pipes drained, so every line the child wrote before dying is in `stdout`.
  await closed;
  return [...stdout.matchAll(/^saved (\d+)$/gm)].map((match) => Number(match[1]));
}
