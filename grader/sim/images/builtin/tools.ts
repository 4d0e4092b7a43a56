/** Shell and client images: what they do is what their command line says (see ../shell.ts). */
import type { ImageSpec } from '../types.ts';
import { toolImage } from './factories.ts';

export const toolImages: ImageSpec[] = [
  toolImage({ names: ['busybox', 'registry.k8s.io/busybox', 'k8s.gcr.io/busybox', 'gcr.io/google-containers/busybox', 'registry.k8s.io/e2e-test-images/busybox'], description: 'busybox: `sh` by default (exits at once without a terminal); runs its command', byDefault: { completes: true } }),
  toolImage({ names: ['curlimages/curl'], description: 'curl: the entrypoint runs `curl` with the args (no args → usage error)', byDefault: { crash: "curl: try 'curl --help' or 'curl --manual' for more information" } }),
  toolImage({ names: ['nicolaka/netshoot'], description: 'netshoot: network tools (dig, curl, nc…); `zsh` by default, exits without a terminal', byDefault: { completes: true } }),
  toolImage({ names: ['alpine', 'ubuntu', 'debian', 'fedora', 'centos', 'amazonlinux', 'registry.access.redhat.com/ubi9/ubi', 'bash'], description: 'distribution base image: a shell by default', byDefault: { completes: true } }),
  toolImage({ names: ['alpine/curl', 'appropriate/curl', 'radial/busyboxplus', 'tutum/dnsutils', 'registry.k8s.io/e2e-test-images/jessie-dnsutils', 'gcr.io/kubernetes-e2e-test-images/dnsutils', 'infoblox/dnstools'], description: 'network client tools: run their command', byDefault: { completes: true } }),
  toolImage({ names: ['node', 'python', 'golang', 'openjdk', 'eclipse-temurin', 'ruby', 'php'], description: 'language runtime: runs its command (a server program listens on the declared containerPorts)', byDefault: { completes: true } }),
];
