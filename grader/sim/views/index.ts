export { renderViews } from './render.ts';
export { getPods, summarizePod } from './pods.ts';
export { getServices, getEndpointSlices, serviceExternalIP, servicePorts } from './services.ts';
export { getIngresses, getNodes, nodeStatus } from './ingresses.ts';
export { getDeployments, getStatefulSets, getPVCs } from './workloads.ts';
export { describe } from './describe.ts';
export { events } from './events.ts';
export { table, humanDuration, age, formatLabels } from './format.ts';
