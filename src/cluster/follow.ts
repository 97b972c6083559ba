/** How to follow and stop a submitted Workflow: the lines `run` prints. */

export interface WorkflowRef {
  readonly namespace: string;
  readonly name: string;
}

/** kubectl and argo commands that follow the Workflow, plus the Argo UI link when a server is configured. */
export function followLines(ref: WorkflowRef, argoServerUrl?: string): string[] {
  const { namespace: ns, name } = ref;
  const lines = [
    `Follow it:  kubectl -n ${ns} get wf ${name} -w`,
    `            argo -n ${ns} watch ${name}`,
    `Logs:       argo -n ${ns} logs ${name} --follow`,
  ];
  if (argoServerUrl !== undefined) lines.push(`Argo UI:    ${argoUiUrl(argoServerUrl, ref)}`);
  return lines;
}

/** `<server>/workflows/<namespace>/<name>`, the Argo UI's page of one Workflow. */
function argoUiUrl(argoServerUrl: string, ref: WorkflowRef): string {
  return `${argoServerUrl.replace(/\/+$/, '')}/workflows/${ref.namespace}/${ref.name}`;
}

/** How to stop it (waiting can be interrupted; the Workflow keeps running). */
export function stopLine(ref: WorkflowRef): string {
  return `Stop it with: argo -n ${ref.namespace} stop ${ref.name}   (or: kubectl -n ${ref.namespace} delete wf ${ref.name})`;
}
