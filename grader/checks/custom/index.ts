export { exec, loadCustomModule, type CustomSpec } from './custom.ts';
export { defineCustomCheck, type CustomCheck, type CustomCheckApi } from './api.ts';
