/**
 * Builders for hostile inputs (issue 9): files that try to make ffmpeg or sharp read something the user did not open,
 * folder link loops, and very long names. Each returns the paths it wrote; the "secret" beside them is what must never
 * appear in an output.
 */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The bytes of the file that hostile media points at. */
export const secretText = 'TOP-SECRET-4711';

/**
 * Writes an HLS playlist, an ffconcat list and an image2-style pattern, all named `.mp4`, plus the local file they
 * refer to (`secret.ts`, a tiny valid MPEG-TS when `segment` is given, else text).
 */
export async function writeHostileClips(folder: string, segment?: Buffer): Promise<{ playlist: string; concat: string; pattern: string; secret: string }> {
  const secret = join(folder, 'secret.ts');
  await writeFile(secret, segment ?? secretText);
  const playlist = join(folder, 'playlist.mp4');
  await writeFile(playlist, '#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nsecret.ts\n#EXT-X-ENDLIST\n');
  const concat = join(folder, 'concat.mp4');
  await writeFile(concat, "ffconcat version 1.0\nfile 'secret.ts'\n");
  // ffmpeg's image2 demuxer expands %d patterns in a path: a file literally named like one.
  const pattern = join(folder, 'frame%03d.mp4');
  await writeFile(pattern, 'not a clip');
  return { playlist, concat, pattern, secret };
}

/** An SVG that refers to a local file, saved under both `.svg` and `.png`, and a one-page PDF saved as `.png`. */
export async function writeVectorImages(folder: string): Promise<{ svg: string; svgAsPng: string; pdfAsPng: string }> {
  const svgText = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="64" height="64"><rect width="64" height="64" fill="red"/><image xlink:href="file:///etc/hostname" width="64" height="64"/></svg>`;
  const svg = join(folder, 'drawing.svg');
  const svgAsPng = join(folder, 'drawing-as.png');
  const pdfAsPng = join(folder, 'document-as.png');
  await writeFile(svg, svgText);
  await writeFile(svgAsPng, svgText);
  await writeFile(pdfAsPng, minimalPdf());
  return { svg, svgAsPng, pdfAsPng };
}

function minimalPdf(): string {
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 64 64] >>'];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('')}`;
  return `${body}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
}

/** A folder with a picture, a `self -> .` link and a second loop (`sub/up -> ..`): `ln -s . self` as a user makes it. */
export async function writeLinkLoops(folder: string, picture: Buffer): Promise<string> {
  await mkdir(join(folder, 'sub'), { recursive: true });
  await writeFile(join(folder, 'a.png'), picture);
  await symlink('.', join(folder, 'self'));
  await symlink('..', join(folder, 'sub', 'up'));
  return folder;
}

/** Names that break naive code: spaces, quotes, unicode, a leading dash, and a 254-byte name. */
export function oddNames(): string[] {
  return ['with space.png', "quote'and\"double.png", 'ünïcødé-写真.png', '-dash.png', `${'n'.repeat(250)}.png`];
}
