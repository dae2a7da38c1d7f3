export { neighbourhood, dependencies } from './graph';
export type { Neighbourhood } from './graph';
