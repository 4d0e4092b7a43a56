export { websiteAppCases } from './website-apps.ts';
export { websiteServiceCases } from './website-services.ts';
export { exampleCases } from './examples.ts';
export { ingressNginxCases } from './ingress-nginx.ts';
export { collisionCases } from './collisions.ts';
