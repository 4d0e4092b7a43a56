export { SimBackend } from './sim-backend.ts';
