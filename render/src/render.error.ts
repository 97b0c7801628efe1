/** Why a render failed; stable codes for status conditions, API errors and the CLI's exit. */
export type RenderErrorReason =
  /** A fleet.yaml that is not YAML or has a field of the wrong type. */
  | 'InvalidFleetYaml'
  /** A manifest (raw file, tool output) that is not valid YAML or not a Kubernetes object. */
  | 'InvalidManifest'
  /** A `${ }` template that does not parse or reads data the cluster lacks. */
  | 'TemplateFailed'
  /** A yaml.overlays entry or `_patch` file that cannot be applied. */
  | 'OverlayFailed'
  /** `helm template` failed (chart error, missing values file, …). */
  | 'HelmFailed'
  /** `kustomize build` failed. */
  | 'KustomizeFailed'
  /** A chart or a chart dependency could not be fetched from its repository, OCI registry or URL. */
  | 'ChartFetchFailed'
  /** A chart dependency is not in `charts/` and is not fetched (`helm.disableDependencyUpdate`, or no repository). */
  | 'ChartDependencyMissing'
  /** A tool ran past its time limit. */
  | 'ToolTimeout'
  /** A tool's output or a bundle passed its size bound. */
  | 'OutputTooLarge'
  /** A helm or kustomize binary is not installed or not runnable. */
  | 'ToolMissing'
  /** A path in the bundle that escapes it, or a bundle directory that does not exist. */
  | 'InvalidBundle';

/** Where in the bundle a problem is, as precisely as known. */
export interface RenderErrorLocation {
  /** Path relative to the bundle (or repository) root, `/`-separated. */
  file?: string;
  /** 1-based. */
  line?: number;
  /** Dotted field path inside the file, e.g. `helm.values` or `targetCustomizations[1].clusterSelector`. */
  field?: string;
}

/** A render failure: a reason code, a message for people, and where. Terminal for the input that caused it. */
export class RenderError extends Error {
  override readonly name = 'RenderError';
  constructor(
    readonly reason: RenderErrorReason,
    message: string,
    readonly location: RenderErrorLocation = {},
    options?: { cause?: unknown },
  ) {
    super(formatMessage(message, location), options);
  }
}

export function isRenderError(error: unknown): error is RenderError {
  return error instanceof RenderError;
}

function formatMessage(message: string, { file, line, field }: RenderErrorLocation): string {
  if (!file) return field ? `${field}: ${message}` : message;
  const where = line ? `${file}:${line}` : file;
  return field ? `${where}: ${field}: ${message}` : `${where}: ${message}`;
}

/** A problem that does not fail the render (e.g. an unknown fleet.yaml key). */
export interface RenderWarning {
  message: string;
  location: RenderErrorLocation;
}
