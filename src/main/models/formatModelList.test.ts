import { describe, expect, it } from 'vitest';
import type { InstalledModel, ModelSpec } from '../../shared/modelTypes';
import { formatBytes, formatModelList, formatModelTable } from './formatModelList';
import { findCatalogModel } from './modelCatalog';

const spec = (id: string): ModelSpec => findCatalogModel(id)!;
const custom: ModelSpec = { ...spec('u2netp'), id: 'custom-mine', name: 'Mine', family: 'custom', tier: 0, licence: { id: 'unknown', commercialUse: false } };

describe('formatBytes', () => {
  it('uses decimal units with three significant digits', () => {
    expect([0, 999, 1000, 44_342_436, 88_188_479, 224_005_088, 1_098_928_953].map(formatBytes)).toEqual(['0 B', '999 B', '1.00 kB', '44.3 MB', '88.2 MB', '224 MB', '1.10 GB']);
  });
});

describe('formatModelList', () => {
  const installed: InstalledModel[] = [
    { spec: spec('isnet-quint8'), source: 'bundled', path: '/b/q.onnx', bytes: 44_342_436 },
    { spec: custom, source: 'custom', path: '/u/mine.onnx', bytes: 1_000 },
    { spec: spec('isnet-fp16'), source: 'bundled', path: '/b/f.onnx', bytes: 88_188_479 },
    { spec: spec('rmbg-2.0'), source: 'downloaded', path: '/u/rmbg-2.0.onnx', bytes: 1_024_331_469 },
  ];
  const rows = formatModelList({ installed, available: [spec('u2netp'), spec('birefnet-hr')] });

  it('lists installed models best first, then downloadable ones best first', () => {
    expect(rows.map((row) => [row.id, row.status])).toEqual([
      ['rmbg-2.0', 'installed'],
      ['isnet-fp16', 'bundled'],
      ['isnet-quint8', 'bundled'],
      ['custom-mine', 'custom'],
      ['birefnet-hr', 'available'],
      ['u2netp', 'available'],
    ]);
  });

  it('marks non-commercial licences, says when a licence is unknown, and sizes downloads as approximate', () => {
    expect(rows[0]).toMatchObject({ licence: 'CC-BY-NC-4.0 (non-commercial)', nonCommercial: true, size: '1.02 GB' });
    expect(rows[1]).toMatchObject({ licence: 'AGPL-3.0', nonCommercial: false });
    expect(rows[3]).toMatchObject({ licence: 'unknown (check before commercial use)', nonCommercial: false });
    expect(rows[5]).toMatchObject({ size: '~4.57 MB', licence: 'Apache-2.0' });
  });

  it('renders an aligned table with a header', () => {
    const lines = formatModelTable(rows).split('\n');
    expect(lines).toHaveLength(rows.length + 1);
    expect(lines[0]).toMatch(/^ID\s+NAME\s+STATUS\s+SIZE\s+LICENCE$/);
    const statusColumn = lines[0]!.indexOf('STATUS');
    for (const [index, row] of rows.entries()) expect(lines[index + 1]!.slice(statusColumn).startsWith(row.status)).toBe(true);
    expect(lines[1]!.endsWith('CC-BY-NC-4.0 (non-commercial)')).toBe(true);
  });
});
