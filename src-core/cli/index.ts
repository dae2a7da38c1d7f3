export { runCli, main, VERSION } from './main';
export type { Io } from './context';
