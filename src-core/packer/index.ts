export { packString, packChat, storeSource, canonicalJson, selectedById } from './packer';
export type {
  PackOptions,
  ChatMessage,
  Span,
  PackedPrompt,
  PackedChat,
  BlockSource,
} from './packer';
export { toOpenAiRequest, toAnthropicRequest } from './adapters';
export type {
  OpenAiChatRequest,
  OpenAiMessage,
  AnthropicRequest,
  AnthropicContent,
  AnthropicTextBlock,
} from './adapters';
export {
  SECTION_TITLES,
  sectionHeader,
  taskSegment,
  blockLabel,
  toolCallLines,
  SegmentCounter,
  CHAT_MESSAGE_FRAMING,
  CHAT_PRIMING,
  CHAT_FIXED_OVERHEAD,
} from './format';
