// A local HTTP server on 127.0.0.1 speaking just enough of the OpenAI Chat Completions and Anthropic
// Messages wire formats for tests: it records each request body and answers from a queue.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the server received. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: Record<string, unknown>;
}

/** A running fake provider. */
export interface FakeProvider {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly requests: readonly ReceivedRequest[];
  close(): Promise<void>;
}

/**
 * Starts a server that answers `POST <path>` with the queued JSON responses in order (each once),
 * and 404s anything else. A request beyond the queue gets a 500 naming the overrun.
 */
export async function startFakeProvider(
  path: string,
  responses: readonly unknown[],
): Promise<FakeProvider> {
  const requests: ReceivedRequest[] = [];
  const queue = [...responses];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      const send = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.method !== 'POST' || req.url?.split('?')[0] !== path)
        return send(404, { error: { message: `no route ${req.method} ${req.url}` } });
      const next = queue.shift();
      if (next === undefined)
        return send(500, {
          error: { message: `fake provider: request ${requests.length} was not expected` },
        });
      return send(200, next);
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((closed) => server.close(() => closed())),
  };
}

/** A Chat Completions response with an assistant message (text and/or tool calls). */
export function openAiCompletion(
  message: {
    content: string | null;
    toolCalls?: { id: string; name: string; arguments: string }[];
  },
  usage = { prompt: 120, completion: 12, cached: 0 },
) {
  const toolCalls = message.toolCalls ?? [];
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: 1_800_000_000,
    model: 'gpt-4o-mini',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: message.content,
          refusal: null,
          ...(toolCalls.length === 0
            ? {}
            : {
                tool_calls: toolCalls.map((c) => ({
                  id: c.id,
                  type: 'function',
                  function: { name: c.name, arguments: c.arguments },
                })),
              }),
        },
        logprobs: null,
        finish_reason: toolCalls.length === 0 ? 'stop' : 'tool_calls',
      },
    ],
    usage: {
      prompt_tokens: usage.prompt,
      completion_tokens: usage.completion,
      total_tokens: usage.prompt + usage.completion,
      prompt_tokens_details: { cached_tokens: usage.cached },
    },
  };
}

/** A Messages API response with text and/or tool_use blocks. */
export function anthropicMessage(
  content: (
    | { type: 'text'; text: string }
    | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> }
  )[],
  usage = { input: 90, output: 15, cacheRead: 0, cacheWrite: 0 },
) {
  return {
    id: 'msg_fake',
    type: 'message',
    role: 'assistant',
    model: 'claude-haiku-4-5',
    content,
    stop_reason: content.some((c) => c.type === 'tool_use') ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: {
      input_tokens: usage.input,
      output_tokens: usage.output,
      cache_read_input_tokens: usage.cacheRead,
      cache_creation_input_tokens: usage.cacheWrite,
    },
  };
}
