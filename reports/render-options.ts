/** Options shared by the renderers (Markdown, HTML; JUnit reads `wallMs`). */
export interface RenderOptions {
  /** Wall-clock time of the command in ms: JUnit's `wallTimeMs` property (the report has only simulated time). */
  wallMs?: number;
  /** Timeline events listed before "… N more" (default 50). */
  maxEvents?: number;
  /** Instance rows listed before "… N more" (default 200). */
  maxInstances?: number;
}

/** The options with every default filled in. */
export interface ResolvedRenderOptions {
  maxEvents: number;
  maxInstances: number;
}

export const DEFAULT_RENDER_OPTIONS: Readonly<ResolvedRenderOptions> = Object.freeze({
  maxEvents: 50,
  maxInstances: 200,
});

/** Fills defaults; limits are clamped to whole numbers ≥ 0 (`Infinity` lists everything). */
export function resolveRenderOptions(options: RenderOptions = {}): ResolvedRenderOptions {
  return {
    maxEvents: limit(options.maxEvents, DEFAULT_RENDER_OPTIONS.maxEvents),
    maxInstances: limit(options.maxInstances, DEFAULT_RENDER_OPTIONS.maxInstances),
  };
}

function limit(value: number | undefined, fallback: number): number {
  if (value === undefined || Number.isNaN(value)) return fallback;
  return Math.max(0, Math.floor(value));
}
