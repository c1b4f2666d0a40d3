import { cartoonModes, refinementSettingsSchema, stillSettingsSchema, type StillSettings } from '../shared/settings';
import { UsageError } from './cliOutput';

/** The matting flags every command shares, in `node:util` parseArgs form. */
export const settingsFlagOptions = {
  model: { type: 'string' },
  'color-radius': { type: 'string' },
  radius: { type: 'string' },
  'edge-radius': { type: 'string' },
  'smart-radius': { type: 'string' },
  decontaminate: { type: 'string' },
  spill: { type: 'string' },
  cartoon: { type: 'string' },
  feather: { type: 'string' },
  'shift-edge': { type: 'string' },
  contrast: { type: 'string' },
  smooth: { type: 'string' },
  premultiplied: { type: 'boolean' },
  'mask-only': { type: 'boolean' },
} as const;

const helpDefaults = refinementSettingsSchema.parse({});

/** Help text for {@link settingsFlagOptions}; the defaults are read from the settings schema so they cannot drift. */
export const settingsFlagsHelp = `  --model <id>         model to use (default: the best installed; see \`matte-studio models\`)
  --color-radius <px>  colour radius: how far edge pixels look for the subject's colour (blur fusion), 0 turns
                       it off (default ${helpDefaults.radiusPx}); --radius is the old name and still works
  --edge-radius <px>   radius of the edge band where alpha is re-solved (closed-form matting), 0 = off (default ${helpDefaults.edgeRadiusPx})
  --smart-radius on|off  narrow the band on hard edges, keep it on soft ones (default ${helpDefaults.smartRadius ? 'on' : 'off'})
  --decontaminate <0..1>  Decontaminate Colors amount: edge colours towards nearby subject colour (default 0 = off)
  --spill <0..1>       Lab spill suppression strength, skin-like hues spared (default ${helpDefaults.spillStrength})
  --cartoon <mode>     ${cartoonModes.join(' | ')}: outline protection for cartoons and line art (default ${helpDefaults.cartoonMode})
  --feather <px> --shift-edge <px> --contrast <0..100> --smooth <px>   global matte refinements`;

type SettingsFlagValues = { [key in keyof typeof settingsFlagOptions]?: (typeof settingsFlagOptions)[key]['type'] extends 'boolean' ? boolean : string };

/** Turns parsed flag values into a validated settings snapshot, with a plain message for any bad value. */
export function parseSettingsFlags(values: SettingsFlagValues): StillSettings {
  if (values.cartoon !== undefined && !(cartoonModes as readonly string[]).includes(values.cartoon)) {
    throw new UsageError(`--cartoon must be one of ${cartoonModes.join(', ')}, not "${values.cartoon}".`);
  }
  if (values.radius !== undefined && values['color-radius'] !== undefined && values.radius !== values['color-radius']) {
    throw new UsageError('--radius is the old name of --color-radius; give one of them.');
  }
  const smartRadius = values['smart-radius'];
  if (smartRadius !== undefined && smartRadius !== 'on' && smartRadius !== 'off') {
    throw new UsageError(`--smart-radius must be on or off, not "${smartRadius}".`);
  }
  const decontaminateAmount = numberFlag('--decontaminate', values.decontaminate);
  const parsed = stillSettingsSchema.safeParse({
    modelId: values.model,
    refinement: {
      radiusPx: numberFlag(values['color-radius'] !== undefined ? '--color-radius' : '--radius', values['color-radius'] ?? values.radius),
      edgeRadiusPx: numberFlag('--edge-radius', values['edge-radius']),
      smartRadius: smartRadius === undefined ? undefined : smartRadius === 'on',
      decontaminate: decontaminateAmount === undefined ? undefined : decontaminateAmount > 0,
      decontaminateAmount: decontaminateAmount === undefined || decontaminateAmount === 0 ? undefined : decontaminateAmount,
      spillStrength: numberFlag('--spill', values.spill),
      cartoonMode: values.cartoon,
      featherPx: numberFlag('--feather', values.feather),
      shiftEdgePx: numberFlag('--shift-edge', values['shift-edge']),
      contrast: numberFlag('--contrast', values.contrast),
      smoothPx: numberFlag('--smooth', values.smooth),
    },
    output: { premultiplied: values.premultiplied ?? false, maskOnly: values['mask-only'] ?? false },
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path.at(-1));
    const flag = { radiusPx: values['color-radius'] !== undefined ? '--color-radius' : '--radius', edgeRadiusPx: '--edge-radius', decontaminateAmount: '--decontaminate', spillStrength: '--spill', featherPx: '--feather', shiftEdgePx: '--shift-edge', contrast: '--contrast', smoothPx: '--smooth' }[key];
    const range = flag === undefined ? undefined : rangeOf(key);
    throw new UsageError(range ? `${flag} needs ${range}.` : `Invalid value for ${flag ?? issue.path.join('.')}: ${issue.message}.`);
  }
  return parsed.data;
}

/** "a whole number from 0 to 400", read from the settings schema so the sentence cannot drift from the check. */
function rangeOf(key: string): string | undefined {
  const field = (refinementSettingsSchema.shape as Record<string, unknown>)[key] as { unwrap?: () => unknown } | undefined;
  const number = field?.unwrap?.() as { minValue?: number | null; maxValue?: number | null; isInt?: boolean } | undefined;
  if (number?.minValue == null || number.maxValue == null) return undefined;
  return `${number.isInt ? 'a whole number' : 'a number'} from ${number.minValue} to ${number.maxValue}`;
}

function numberFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  // Plain decimals only: Number() would also take "0x1", "1e-1" or "  2 ".
  if (!/^-?(\d+\.?\d*|\.\d+)$/.test(value)) throw new UsageError(`${name} needs a number, not "${value}".`);
  return Number(value);
}
