export { neighbourhood, dependencies } from './graph';
export type { Neighbourhood } from './graph';
export { EdgeIndex } from './edge-index';
export type { Neighbour } from './edge-index';
