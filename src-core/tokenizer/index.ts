export {
  getTokenizer,
  isTokenizerId,
  TOKENIZER_IDS,
  TOKENIZER_VERSION,
  warmTokenizer,
} from './tokenizer';
export type { Tokenizer, TokenizerId } from './tokenizer';
