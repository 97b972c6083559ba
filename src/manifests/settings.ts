/**
 * Everything the constructs need, derived once from a loaded config: names, namespace, labels, where
 * each `${VAR}` comes from, and the distributed-execution settings. Refuses configs that cannot become
 * Argo manifests (literal secrets, distributed execution off, an unknown time zone, ...), naming the field.
 */
import { ConfigError, type ConfigIssue } from '../config/errors.js';
import type { LoadedConfig } from '../config/load.js';
import { credentialsSecretName, pipelineName } from '../config/names.js';
import { findLiteralSecrets } from '../config/secrets.js';
import { DNS1123_LABEL, type DistributedExecution } from '../config/distributed.js';

const DE = 'workflowConfig.distributedExecution';

/** A variable the pods read from one key of a Kubernetes Secret. */
export interface SecretVariable {
  readonly variable: string;
  readonly secret: string;
  readonly key: string;
}

export interface PipelineSettings {
  /** The pipeline's resource name (DNS-1123, at most 45 characters). */
  readonly name: string;
  readonly namespace: string;
  /** The config text as written, `${VAR}` placeholders intact. */
  readonly configText: string;
  readonly distributed: DistributedExecution;
  /** The Secret that supplies every variable not mapped elsewhere: `<name>-credentials` by default. */
  readonly defaultSecret: string;
  /** Variables read from the default Secret (through `envFrom`), sorted. */
  readonly defaultSecretVariables: readonly string[];
  /** Variables mapped to another Secret/key (through `secretKeyRef`), sorted by variable. */
  readonly mappedVariables: readonly SecretVariable[];
  /** ServiceAccount of the workflow pods. */
  readonly serviceAccount: string;
  /** Whether that ServiceAccount is ours to create (false when the config names an existing one). */
  readonly createServiceAccount: boolean;
  /** Labels on every object: the recommended `app.kubernetes.io/*` set plus the config's `labels`. */
  readonly labels: Readonly<Record<string, string>>;
}

/** Derives the settings; throws ConfigError (one issue per problem) when the config cannot be synthesized. */
export function pipelineSettings(
  loaded: LoadedConfig,
  overrides: { readonly namespace?: string } = {},
): PipelineSettings {
  const { config, file } = loaded;
  const dist = config.workflowConfig.distributedExecution;
  const issues: ConfigIssue[] = [];
  if (overrides.namespace !== undefined && !DNS1123_LABEL.test(overrides.namespace)) {
    throw Object.assign(
      new Error(
        `namespace "${overrides.namespace}" is not a valid Kubernetes namespace (lower-case letters, digits, "-")`,
      ),
      { userFacing: true },
    );
  }

  // The loader refuses these already; synthesis checks again so that no caller can skip it.
  for (const { path } of findLiteralSecrets(loaded.raw)) {
    issues.push({
      path,
      message: 'holds a literal secret; write it as ${VAR} and put the value in a Kubernetes Secret',
    });
  }
  if (!dist.enabled) {
    issues.push({
      path: `${DE}.enabled`,
      message:
        'distributed execution is off, so there is nothing to run on Argo; set enabled: true and orchestrator: argo',
    });
  } else if (dist.orchestrator !== 'argo') {
    issues.push({
      path: `${DE}.orchestrator`,
      message: `is "${dist.orchestrator}"; Argo manifests are made only for orchestrator: argo (local runs need none)`,
    });
  }
  if (!isTimeZone(dist.timezone)) {
    issues.push({
      path: `${DE}.timezone`,
      message: `"${dist.timezone}" is not an IANA time zone; use a name such as "UTC" or "Europe/Berlin"`,
    });
  }
  const variables = new Set(loaded.variables);
  for (const variable of Object.keys(dist.secrets.variables).sort()) {
    if (!variables.has(variable)) {
      issues.push({
        path: `${DE}.secrets.variables.${variable}`,
        message: `maps \${${variable}}, but the config never refers to it; remove the mapping or fix its name`,
      });
    }
  }
  if (issues.length > 0) throw new ConfigError(file, issues);

  const name = pipelineName(config, file);
  const mappedVariables = loaded.variables
    .filter((v) => dist.secrets.variables[v] !== undefined)
    .map((variable): SecretVariable => {
      const ref = dist.secrets.variables[variable]!;
      return { variable, secret: ref.secret, key: ref.key };
    });
  return {
    name,
    namespace: overrides.namespace ?? dist.namespace,
    configText: loaded.text,
    distributed: dist,
    defaultSecret: dist.secrets.name ?? credentialsSecretName(name),
    defaultSecretVariables: loaded.variables.filter((v) => dist.secrets.variables[v] === undefined),
    mappedVariables,
    serviceAccount: dist.serviceAccount ?? `${name}-worker`,
    createServiceAccount: dist.serviceAccount === undefined,
    labels: sortKeys({ ...dist.labels, ...recommendedLabels(name) }),
  };
}

/** Kubernetes' recommended labels; they win over same-named config labels so selectors stay stable. */
export function recommendedLabels(pipeline: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': 'argo-ingest',
    'app.kubernetes.io/instance': pipeline,
    'app.kubernetes.io/part-of': 'openmetadata-ingestion',
    'app.kubernetes.io/managed-by': 'argo-ingest',
  };
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function sortKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
