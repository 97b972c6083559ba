/**
 * Rehearses a synthesized WorkflowTemplate on this machine the way Argo's controller would run it: walks
 * the entrypoint's step groups, expands withSequence / withParam / withItems, substitutes parameters and
 * aggregated outputs by Argo's rules (argo.ts), honours retryStrategy.limit / retryPolicy and
 * template / spec parallelism, and runs each container's command and args as a child process:
 *
 * - every volumeMount is a fresh temp dir (a ConfigMap volume holds the ConfigMap's keys as files) and
 *   mount paths in args, input artifacts and `valueFrom.path` are rewritten to it; with
 *   `readOnlyRootFilesystem` nothing else is writable;
 * - the environment is the container's `env` / `envFrom`, Secret values taken from `secrets` (the
 *   caller fills them from its environment), plus PATH;
 * - a non-zero exit is phase Failed, a killed or never-created pod is phase Error (as Argo reports a
 *   deleted, evicted or OOM-killed pod);
 * - before a pod starts, its ARGO_TEMPLATE (the template with inputs substituted and inputs.parameters
 *   dropped, as createWorkflowPod in workflow/controller/workflowpod.go builds it) is measured: over
 *   MaxEnvVarLen the controller needs a ConfigMap its stock Role cannot create (argo-workflows#14073),
 *   so the pod is never created (Error).
 *
 * Not modelled: DAGs, templateRef, scripts, resource templates, hooks, exit handlers, artifacts other
 * than `raw`, memoization, synchronization, backoff waits (printed, not waited unless backoffScale > 0).
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  MAX_ENV_VAR_LEN,
  UnresolvedVariableError,
  aggregateOutputs,
  continues,
  expandParam,
  expandSequence,
  failedOrError,
  goJson,
  initLessLayout,
  itemText,
  retries,
  strictStepReferences,
  substitute,
  type ContinueOn,
  type NodePhase,
  type Sequence,
} from './argo.js';

// The subset of the WorkflowTemplate the emulator reads (as synthesized; unknown fields are ignored).
export type Parameter = {
  name: string;
  value?: string;
  default?: string;
  valueFrom?: { path?: string; default?: string };
};
export type Artifact = { name: string; path?: string; raw?: { data: string } };
export type Arguments = { parameters?: Parameter[]; artifacts?: Artifact[] };
export type Step = {
  name: string;
  template: string;
  arguments?: Arguments;
  withSequence?: Sequence;
  withParam?: string;
  withItems?: unknown[];
  continueOn?: ContinueOn;
  when?: string;
};
export type EnvVar = { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } };
export type Container = {
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  envFrom?: { secretRef?: { name: string } }[];
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
  securityContext?: { readOnlyRootFilesystem?: boolean };
};
export type Template = {
  name: string;
  steps?: Step[][];
  container?: Container;
  inputs?: { parameters?: Parameter[]; artifacts?: Artifact[] };
  outputs?: { parameters?: Parameter[] };
  retryStrategy?: { limit?: number | string; retryPolicy?: string; backoff?: { duration?: string } };
  parallelism?: number;
};
export type Volume = { name: string; configMap?: { name: string }; emptyDir?: Record<string, unknown> };
export type WorkflowTemplate = {
  metadata?: { name?: string };
  spec: {
    entrypoint: string;
    templates: Template[];
    parallelism?: number;
    activeDeadlineSeconds?: number;
    volumes?: Volume[];
  };
};

/** A pod the emulator is about to run, for `fault`. */
export interface PodRef {
  /** Node name as Argo would give it, e.g. `wf.process(1:1)(0)`. */
  readonly name: string;
  readonly step: string;
  readonly template: string;
  /** Loop index of a fanned-out step. */
  readonly index?: number;
  /** 0-based attempt. */
  readonly attempt: number;
}

/** A fault injected into one pod (tests, rehearsals). */
export interface PodFault {
  /** The pod is never created or lost at once (phase Error). */
  readonly lost?: boolean;
  /** The pod is killed (SIGKILL, phase Error) when this resolves. */
  readonly killWhen?: Promise<void>;
  /** Extra or replaced environment variables of the container. */
  readonly env?: Readonly<Record<string, string>>;
}

export interface EmulateOptions {
  readonly workflow: WorkflowTemplate;
  /** ConfigMap name -> data, for configMap volumes. */
  readonly configMaps: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Secret name -> key -> value, for env valueFrom.secretKeyRef and envFrom.secretRef. */
  readonly secrets: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** command[0] -> the argv prefix that runs it here, e.g. `{ 'argo-ingest': [node, bin/argo-ingest.js] }`. */
  readonly commands: Readonly<Record<string, readonly string[]>>;
  /** Argo version whose rules apply. @default '4.1.2' */
  readonly argoVersion?: string;
  /** At most this many pods at once on this machine, on top of Argo's parallelism. @default unlimited */
  readonly maxPods?: number;
  /** Overrides spec.activeDeadlineSeconds. */
  readonly deadlineSeconds?: number;
  /** Multiplies retry backoff waits (0: print, do not wait). @default 0 */
  readonly backoffScale?: number;
  readonly fault?: (pod: PodRef) => PodFault | undefined;
  /** Receives one line per pod phase change. @default nothing */
  readonly log?: (line: string) => void;
  /** Receives a pod's output as it comes. @default nothing */
  readonly podOutput?: (pod: PodRef, text: string) => void;
  /** Where pod directories go; removed afterwards unless given. @default a temp dir */
  readonly workDir?: string;
  /** Variables every pod gets (PATH is always passed). @default {} */
  readonly baseEnv?: Readonly<Record<string, string>>;
}

export interface PodRecord extends PodRef {
  readonly phase: NodePhase;
  readonly message: string;
  readonly exitCode?: number;
  readonly outputs: ReadonlyMap<string, string>;
  /** Bytes of the pod's ARGO_TEMPLATE environment variable. */
  readonly argoTemplateBytes: number;
  readonly output: string;
}

export interface EmulateResult {
  readonly phase: 'Succeeded' | 'Failed' | 'Error';
  readonly message: string;
  readonly pods: readonly PodRecord[];
  /** Most pods that ran at the same time. */
  readonly maxConcurrentPods: number;
}

class DeadlineExceeded extends Error {
  constructor() {
    super('Step exceeded its deadline');
  }
}

interface NodeOutcome {
  readonly phase: NodePhase;
  readonly message: string;
  readonly outputs?: ReadonlyMap<string, string>;
}

export async function emulate(options: EmulateOptions): Promise<EmulateResult> {
  const run = new Run(options);
  try {
    return await run.execute();
  } finally {
    await run.cleanUp();
  }
}

class Run {
  private readonly templates: Map<string, Template>;
  private readonly version: string;
  private readonly pods: PodRecord[] = [];
  private readonly running = new Set<() => void>();
  private readonly slots: Semaphore;
  private deadlineHit = false;
  private root = '';
  private maxConcurrent = 0;
  private readonly name: string;

  constructor(private readonly options: EmulateOptions) {
    this.templates = new Map(options.workflow.spec.templates.map((t) => [t.name, t]));
    this.version = options.argoVersion ?? '4.1.2';
    this.name = options.workflow.metadata?.name ?? 'workflow';
    // spec.parallelism limits the pods of the whole workflow; maxPods is this machine's limit.
    this.slots = new Semaphore(Math.min(options.workflow.spec.parallelism ?? Infinity, options.maxPods ?? Infinity));
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  async execute(): Promise<EmulateResult> {
    this.root = this.options.workDir ?? (await mkdtemp(join(tmpdir(), 'argo-emulate-')));
    const seconds = this.options.deadlineSeconds ?? this.options.workflow.spec.activeDeadlineSeconds;
    let deadline: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      if (seconds === undefined) return;
      deadline = setTimeout(() => {
        this.deadlineHit = true;
        for (const kill of this.running) kill();
        reject(new DeadlineExceeded());
      }, seconds * 1000);
    });
    expired.catch(() => {});
    try {
      const entry = this.template(this.options.workflow.spec.entrypoint);
      const work = this.runSteps(entry, this.name);
      // After the deadline the walk stops on its own (DeadlineExceeded); its rejection is expected.
      work.catch(() => {});
      const outcome = await Promise.race([work, expired]);
      const phase = outcome.phase === 'Succeeded' ? 'Succeeded' : 'Failed';
      this.log(`Workflow ${this.name}: ${phase}${outcome.message ? ` (${outcome.message})` : ''}`);
      return { phase, message: outcome.message, pods: this.pods, maxConcurrentPods: this.maxConcurrent };
    } catch (error) {
      if (!(error instanceof DeadlineExceeded || error instanceof UnresolvedVariableError)) throw error;
      const message =
        error instanceof UnresolvedVariableError
          ? `${error.message}: the controller requeues the workflow until activeDeadlineSeconds (${seconds ?? 'none'} s)`
          : error.message;
      // Pods killed by the deadline settle before the result is returned.
      await this.settleRunning();
      this.log(`Workflow ${this.name}: Failed (${message})`);
      return { phase: 'Failed', message, pods: this.pods, maxConcurrentPods: this.maxConcurrent };
    } finally {
      if (deadline) clearTimeout(deadline);
    }
  }

  private async settleRunning(): Promise<void> {
    for (let i = 0; i < 200 && this.running.size > 0; i++) await new Promise((r) => setTimeout(r, 25));
  }

  async cleanUp(): Promise<void> {
    for (const kill of this.running) kill();
    await this.settleRunning();
    if (!this.options.workDir && this.root) await rm(this.root, { recursive: true, force: true });
  }

  private template(name: string): Template {
    const found = this.templates.get(name);
    if (!found) throw new Error(`template "${name}" not found in the WorkflowTemplate`);
    return found;
  }

  /** executeSteps (workflow/controller/steps.go): step groups in order; a failed group fails the node. */
  private async runSteps(tmpl: Template, nodeName: string): Promise<NodeOutcome> {
    const scope = new Map<string, string>([['workflow.name', this.name]]);
    const limit = new Semaphore(tmpl.parallelism ?? Infinity);
    for (const [g, group] of (tmpl.steps ?? []).entries()) {
      const groupName = `${nodeName}[${g}]`;
      // resolveReferences: the whole step is substituted as JSON; steps.* must resolve (strict).
      const resolved = group.map((step) => {
        const { withSequence, withParam, withItems, ...rest } = step;
        const text = substitute(goJson({ rest, withSequence, withParam }), scope, strictStepReferences(this.version));
        const parsed = JSON.parse(text) as { rest: Step; withSequence?: Sequence; withParam?: string };
        return { ...parsed.rest, withSequence: parsed.withSequence, withParam: parsed.withParam, withItems };
      });
      const results = await Promise.all(resolved.map((step) => this.runStep(step, groupName, limit)));
      // executeStepGroup: every child completed; the group fails on a child that failed or errored
      // unless the step continues on that phase (continues(), workflow_types.go).
      for (const [i, children] of results.entries()) {
        const step = resolved[i]!;
        const stopping = children.find((c) => failedOrError(c.phase) && !continues(step.continueOn, c.phase));
        if (stopping) {
          this.log(`Step group ${groupName}: Failed (child ${step.name} ${stopping.phase}: ${stopping.message})`);
          return {
            phase: 'Failed',
            message: `child '${step.name}' ${stopping.phase.toLowerCase()}: ${stopping.message}`,
          };
        }
      }
      for (const [i, children] of results.entries()) {
        const step = resolved[i]!;
        const prefix = `steps.${step.name}`;
        if (isExpanded(step)) {
          for (const [key, value] of aggregateOutputs(prefix, children, this.version)) scope.set(key, value);
        } else {
          const only = children[0];
          for (const [name, value] of only?.outputs ?? []) scope.set(`${prefix}.outputs.parameters.${name}`, value);
        }
      }
    }
    return { phase: 'Succeeded', message: '' };
  }

  /** expandStep: one child per item, `{{item}}` substituted (processItem). */
  private async runStep(step: Step, groupName: string, limit: Semaphore): Promise<NodeOutcome[]> {
    if (!isExpanded(step)) return [await this.runNode(step, `${groupName}.${step.name}`, step.name, undefined, limit)];
    const items: unknown[] = step.withItems
      ? step.withItems
      : step.withParam !== undefined
        ? expandParam(step.withParam)
        : expandSequence(step.withSequence!);
    const { withSequence, withParam, withItems, ...plain } = step;
    void withSequence;
    void withParam;
    void withItems;
    const text = goJson(plain);
    return Promise.all(
      items.map((item, index) => {
        const itemScope = new Map<string, string>([['item', itemText(item)]]);
        if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
          for (const [k, v] of Object.entries(item)) itemScope.set(`item.${k}`, itemText(v));
        }
        const child = JSON.parse(substitute(text, itemScope, false)) as Step;
        const name = `${groupName}.${step.name}(${index}:${itemText(item)})`;
        return this.runNode(child, name, step.name, index, limit);
      }),
    );
  }

  /** A step's node: a Retry node around pod attempts when the template has a retryStrategy. */
  private async runNode(
    step: Step,
    nodeName: string,
    stepName: string,
    index: number | undefined,
    limit: Semaphore,
  ): Promise<NodeOutcome> {
    const tmpl = this.template(step.template);
    if (tmpl.steps) return this.runSteps(tmpl, nodeName);
    const strategy = tmpl.retryStrategy;
    const retryLimit = strategy ? Number(strategy.limit ?? 0) : 0;
    let outcome: NodeOutcome = { phase: 'Error', message: 'not run' };
    for (let attempt = 0; attempt <= retryLimit; attempt++) {
      const name = strategy ? `${nodeName}(${attempt})` : nodeName;
      const pod: PodRef = {
        name,
        step: stepName,
        template: tmpl.name,
        attempt,
        ...(index !== undefined ? { index } : {}),
      };
      outcome = await limit.run(() => this.slots.run(() => this.runPod(pod, step, tmpl)));
      if (this.deadlineHit) throw new DeadlineExceeded();
      if (outcome.phase === 'Succeeded' || !strategy || !retries(strategy.retryPolicy, outcome.phase)) break;
      if (attempt < retryLimit) {
        const duration = strategy.backoff?.duration ?? '0';
        const seconds = parseDuration(duration) * 2 ** attempt;
        const scale = this.options.backoffScale ?? 0;
        this.log(
          `${name}: retrying after backoff ${duration}${attempt > 0 ? ` x factor^${attempt}` : ''}${scale === 0 ? ' (not waited)' : ''}`,
        );
        if (scale > 0) await new Promise((r) => setTimeout(r, seconds * 1000 * scale));
      }
    }
    return outcome;
  }

  private async runPod(pod: PodRef, step: Step, tmpl: Template): Promise<NodeOutcome> {
    if (this.deadlineHit) return { phase: 'Failed', message: 'Step exceeded its deadline' };
    const record = (outcome: NodeOutcome & { exitCode?: number; output?: string; bytes?: number }): NodeOutcome => {
      this.pods.push({
        ...pod,
        phase: outcome.phase,
        message: outcome.message,
        ...(outcome.exitCode !== undefined ? { exitCode: outcome.exitCode } : {}),
        outputs: outcome.outputs ?? new Map(),
        argoTemplateBytes: outcome.bytes ?? 0,
        output: outcome.output ?? '',
      });
      const outs = [...(outcome.outputs ?? new Map<string, string>())].map(([k, v]) => `${k}=${abbreviate(v)}`);
      this.log(
        `${pod.name}: ${outcome.phase}${outcome.message ? ` (${outcome.message})` : ''}${outs.length ? ` outputs: ${outs.join(', ')}` : ''}`,
      );
      return outcome;
    };

    // common.ProcessArgs (workflow/common/util.go): inputs from the step's arguments or defaults, then
    // SubstituteParams over the template's JSON.
    let resolved: Template;
    try {
      resolved = resolveInputs(tmpl, step.arguments ?? {});
    } catch (error) {
      return record({ phase: 'Error', message: (error as Error).message });
    }
    // createWorkflowPod (workflowpod.go): ARGO_TEMPLATE is the template without inputs.parameters.
    const { inputs, ...withoutInputs } = resolved;
    const argoTemplate = goJson({ ...withoutInputs, inputs: { artifacts: inputs?.artifacts } });
    const bytes = Buffer.byteLength(argoTemplate);
    if (bytes > MAX_ENV_VAR_LEN) {
      return record({
        phase: 'Error',
        bytes,
        message:
          `ARGO_TEMPLATE is ${bytes} bytes, over MaxEnvVarLen ${MAX_ENV_VAR_LEN}: the controller offloads it to a ` +
          'ConfigMap that its stock Role cannot create (argo-workflows#14073); the pod is never created',
      });
    }
    const fault = this.options.fault?.(pod);
    if (fault?.lost) return record({ phase: 'Error', bytes, message: 'pod deleted (lost before it ran)' });
    const container = resolved.container;
    if (!container) return record({ phase: 'Error', bytes, message: `template ${tmpl.name} has no container` });

    const podDir = join(this.root, pod.name.replace(/[^A-Za-z0-9._-]+/g, '_'));
    const fs = await this.podFilesystem(podDir, container);
    for (const artifact of resolved.inputs?.artifacts ?? []) {
      if (artifact.raw === undefined || !artifact.path) continue;
      // Before Argo 4.1 an init container stages the artifact and mounts it at its path (subPath);
      // from 4.1 the executor writes it through the main container's filesystem.
      const host =
        fs.hostPath(artifact.path) ?? (initLessLayout(this.version) ? undefined : fs.mountFile(artifact.path));
      if (!host) {
        return record({
          phase: 'Error',
          bytes,
          message:
            `cannot write input artifact ${artifact.name} to ${artifact.path}: read-only root filesystem ` +
            `(no volume is mounted there; Argo ${this.version}'s init-less layout writes it through the main container)`,
        });
      }
      await mkdir(dirname(host), { recursive: true });
      await writeFile(host, artifact.raw.data);
    }
    let env: Record<string, string>;
    try {
      env = { ...this.containerEnv(container), ...fault?.env };
    } catch (error) {
      return record({ phase: 'Error', bytes, message: `CreateContainerConfigError: ${(error as Error).message}` });
    }
    const [command, ...rest] = [...(container.command ?? []), ...(container.args ?? [])];
    if (!command) return record({ phase: 'Error', bytes, message: 'container has no command' });
    const prefix = this.options.commands[command];
    if (!prefix)
      return record({ phase: 'Error', bytes, message: `no way to run "${command}" here (emulator commands)` });
    const args = rest.map((a) => fs.rewrite(a));
    // TMPDIR is left alone: the host's /tmp holds tsx's transform cache when the worker runs from src/.
    const exit = await this.spawnPod(pod, [...prefix, ...args], env, podDir, fault);
    if (exit.killed) return record({ phase: 'Error', bytes, message: 'pod deleted', output: exit.output });
    if (exit.code !== 0) {
      return record({
        phase: 'Failed',
        bytes,
        exitCode: exit.code,
        message: `Error (exit code ${exit.code})`,
        output: exit.output,
      });
    }
    // The executor reads each output parameter from its valueFrom.path (or takes its default).
    const outputs = new Map<string, string>();
    for (const parameter of resolved.outputs?.parameters ?? []) {
      const path = parameter.valueFrom?.path;
      if (!path) continue;
      const host = fs.hostPath(path);
      try {
        if (!host) throw new Error('not on a volume');
        outputs.set(parameter.name, await readFile(host, 'utf8'));
      } catch {
        if (parameter.valueFrom?.default !== undefined) outputs.set(parameter.name, parameter.valueFrom.default);
        else {
          return record({
            phase: 'Error',
            bytes,
            message: `output parameter ${parameter.name}: cannot read ${path}`,
            output: exit.output,
          });
        }
      }
    }
    return record({ phase: 'Succeeded', bytes, exitCode: 0, message: '', outputs, output: exit.output });
  }

  /** A temp dir per volume mount, ConfigMap keys written as files; the rest of the root is read-only. */
  private async podFilesystem(podDir: string, container: Container) {
    const volumes = new Map((this.options.workflow.spec.volumes ?? []).map((v) => [v.name, v]));
    const mounts: { mountPath: string; host: string }[] = [];
    for (const [i, mount] of (container.volumeMounts ?? []).entries()) {
      const host = join(podDir, `volume-${i}-${mount.name}`);
      await mkdir(host, { recursive: true });
      const volume = volumes.get(mount.name);
      if (volume?.configMap) {
        const data = this.options.configMaps[volume.configMap.name];
        if (!data) throw new Error(`ConfigMap ${volume.configMap.name} is not known to the emulator`);
        for (const [key, value] of Object.entries(data)) await writeFile(join(host, key), value);
      }
      mounts.push({ mountPath: mount.mountPath.replace(/\/+$/, ''), host });
    }
    // Longest mount path first: /tmp/argo-ingest lies under /tmp.
    mounts.sort((a, b) => b.mountPath.length - a.mountPath.length);
    const readOnlyRoot = container.securityContext?.readOnlyRootFilesystem === true;
    const rootfs = join(podDir, 'rootfs');
    const hostPath = (path: string): string | undefined => {
      for (const m of mounts) {
        if (path === m.mountPath) return m.host;
        if (path.startsWith(`${m.mountPath}/`)) return join(m.host, path.slice(m.mountPath.length + 1));
      }
      return readOnlyRoot ? undefined : join(rootfs, path);
    };
    /** An extra mount of one file (an init container's staged artifact). */
    const mountFile = (path: string): string => {
      const host = join(podDir, 'staged', path);
      mounts.unshift({ mountPath: path, host });
      return host;
    };
    const rewrite = (arg: string): string => {
      if (!arg.startsWith('/')) return arg;
      return hostPath(arg) ?? arg;
    };
    return { hostPath, rewrite, mountFile };
  }

  private containerEnv(container: Container): Record<string, string> {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...this.options.baseEnv };
    const secret = (name: string) => {
      const found = this.options.secrets[name];
      if (!found) throw new Error(`secret "${name}" not found`);
      return found;
    };
    for (const source of container.envFrom ?? []) {
      if (source.secretRef) Object.assign(env, secret(source.secretRef.name));
    }
    for (const variable of container.env ?? []) {
      if (variable.value !== undefined) env[variable.name] = variable.value;
      const ref = variable.valueFrom?.secretKeyRef;
      if (ref) {
        const value = secret(ref.name)[ref.key];
        if (value === undefined) throw new Error(`couldn't find key ${ref.key} in Secret ${ref.name}`);
        env[variable.name] = value;
      }
    }
    return env;
  }

  private spawnPod(
    pod: PodRef,
    argv: readonly string[],
    env: Record<string, string>,
    cwd: string,
    fault: PodFault | undefined,
  ): Promise<{ code: number; killed: boolean; output: string }> {
    return new Promise((resolve) => {
      const [file, ...args] = argv;
      const child = spawn(file!, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let killed = false;
      const kill = () => {
        killed = true;
        child.kill('SIGKILL');
      };
      this.running.add(kill);
      this.maxConcurrent = Math.max(this.maxConcurrent, this.running.size);
      this.log(`${pod.name}: Running`);
      const chunks: string[] = [];
      const take = (data: Buffer) => {
        const text = data.toString('utf8');
        chunks.push(text);
        this.options.podOutput?.(pod, text);
      };
      child.stdout.on('data', take);
      child.stderr.on('data', take);
      void fault?.killWhen?.then(() => {
        if (child.exitCode === null && child.signalCode === null) kill();
      });
      const done = (code: number) => {
        this.running.delete(kill);
        resolve({ code, killed, output: chunks.join('') });
      };
      child.on('error', (error) => {
        chunks.push(`${error.message}\n`);
        done(127);
      });
      child.on('close', (code, signal) => done(signal ? 137 : (code ?? 1)));
    });
  }
}

function isExpanded(step: Step): boolean {
  return step.withItems !== undefined || step.withParam !== undefined || step.withSequence !== undefined;
}

/** common.ProcessArgs + SubstituteParams (workflow/common/util.go). */
export function resolveInputs(tmpl: Template, args: Arguments): Template {
  const scope = new Map<string, string>();
  for (const parameter of tmpl.inputs?.parameters ?? []) {
    const given = args.parameters?.find((p) => p.name === parameter.name);
    const value = given?.value ?? parameter.value ?? parameter.default;
    if (value === undefined) throw new Error(`inputs.parameters.${parameter.name} was not supplied`);
    scope.set(`inputs.parameters.${parameter.name}`, value);
  }
  const artifacts = (tmpl.inputs?.artifacts ?? []).map((artifact) => {
    const given = args.artifacts?.find((a) => a.name === artifact.name);
    if (!given && artifact.raw === undefined) throw new Error(`inputs.artifacts.${artifact.name} was not supplied`);
    return given ? { ...given, ...(artifact.path !== undefined ? { path: artifact.path } : {}) } : artifact;
  });
  const withArtifacts: Template = { ...tmpl, inputs: { ...tmpl.inputs, artifacts } };
  return JSON.parse(substitute(goJson(withArtifacts), scope, false)) as Template;
}

/** `60s`, `2m`, `1h`, or a number of seconds. */
function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(text.trim());
  if (!m) return 0;
  return Number(m[1]) * (m[2] === 'h' ? 3600 : m[2] === 'm' ? 60 : 1);
}

function abbreviate(value: string): string {
  const line = value.replace(/\s+/g, ' ');
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

/** At most `size` callers inside `run` at once. */
class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly size: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.size) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await work();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}
