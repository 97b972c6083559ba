import { Chart, type ChartProps } from 'cdk8s';
import type { Construct } from 'constructs';
import type { LoadedConfig } from '../config/load.js';
import { IngestionPipeline } from './pipeline.js';
import type { PipelineSettings } from './settings.js';

export interface PipelineChartProps extends ChartProps {
  /** A loaded, valid config with distributed execution on and orchestrator argo. `namespace` overrides the config's. */
  readonly loaded: LoadedConfig;
}

/**
 * A chart holding one `IngestionPipeline` from a loaded config: what `cdk8s synth` of the examples,
 * `argo-ingest synth` and the cluster submitter build. Resource names carry no hashes.
 */
export class PipelineChart extends Chart {
  readonly pipeline: IngestionPipeline;
  readonly settings: PipelineSettings;

  constructor(scope: Construct, id: string, props: PipelineChartProps) {
    super(scope, id, { ...props, disableResourceNameHashes: true });
    this.pipeline = new IngestionPipeline(this, 'Pipeline', { loaded: props.loaded, namespace: props.namespace });
    this.settings = this.pipeline.settings;
  }
}
