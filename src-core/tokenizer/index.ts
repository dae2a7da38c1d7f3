export { getTokenizer, isTokenizerId, TOKENIZER_IDS, TOKENIZER_VERSION } from './tokenizer';
export type { Tokenizer, TokenizerId } from './tokenizer';
