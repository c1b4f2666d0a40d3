import { basename, extname, join } from 'node:path';

/**
 * Output paths for a list of inputs: `<outDir>/<name><suffix>`, where two inputs with the same name (`a.jpg`, `a.png`,
 * or the same name in two folders) get `-2`, `-3`… so no result overwrites another from the same run.
 */
export function outputPathsFor(inputs: string[], outDir: string, suffix = '.png'): string[] {
  const used = new Set<string>();
  return inputs.map((input) => {
    const stem = basename(input, extname(input)) || 'image';
    let candidate = `${stem}${suffix}`;
    for (let counter = 2; used.has(candidate.toLowerCase()); counter++) candidate = `${stem}-${counter}${suffix}`;
    used.add(candidate.toLowerCase());
    return join(outDir, candidate);
  });
}
