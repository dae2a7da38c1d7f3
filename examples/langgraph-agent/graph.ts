// The LangGraph agent: a graph with a model node and a tool node whose memory is entirely LLM386.
// The graph keeps no state between turns (no checkpointer): every model call packs its prompt from
// the store (traced), and every user message, reply and tool result is written back to the store.
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, HumanMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { Annotation, END, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import { ToolNode, toolsCondition } from '@langchain/langgraph/prebuilt';
import type { BlockId, PutInput, Runtime, ToolCall, Usage } from '../../src-core/index';
import { TOOLS, runTool } from '../agent/tools';
import { messageText, toLangChainMessages } from './messages';

/** The system prompt, stored once per session as a `system` block. */
export const SYSTEM_PROMPT =
  'You are a concise assistant with two tools: `calculator` for any arithmetic and `lookup_profile` for customer profiles. Your memory is the context you are given: answer from it.';

/** The calculator and the profile lookup as LangChain tools (the same tools as examples/agent). */
export const LANGCHAIN_TOOLS = TOOLS.map((spec) =>
  tool(
    async (args: Record<string, unknown>) =>
      runTool({ id: '', name: spec.name, arguments: JSON.stringify(args) }),
    {
      name: spec.name,
      description: spec.description,
      schema: {
        ...spec.parameters,
        properties: { ...spec.parameters.properties },
        required: [...spec.parameters.required],
      },
    },
  ),
);

/** Options of {@link buildAgent}. */
export interface AgentOptions {
  readonly runtime: Runtime;
  readonly model: BaseChatModel;
  readonly session: string;
  /** The LLM386 model profile whose budget and tokenizer the pager uses. */
  readonly profile: string;
  /** Input budget per model call (tokens); default the profile's. */
  readonly budget?: number | undefined;
}

/** The graph's state: one turn's in-flight messages (for the tool node) and the calls it traced. */
const TurnState = Annotation.Root({
  ...MessagesAnnotation.spec,
  /** The traced model calls of this turn, in order. */
  callIds: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
  /** The stored assistant message whose tool calls the tool node answers. */
  assistantId: Annotation<string | undefined>(),
});

/** Builds the compiled graph: remember -> agent -> (tools -> agent)* -> end. */
export function buildAgent(options: AgentOptions) {
  const { runtime: rt, session } = options;
  const bound = options.model.bindTools?.(LANGCHAIN_TOOLS) ?? options.model;
  const toolNode = new ToolNode(LANGCHAIN_TOOLS);

  // The user's message goes to the store first; the graph's own copy lives only for this turn.
  const remember = async (state: typeof TurnState.State) => {
    rt.put({ session, kind: 'system', body: SYSTEM_PROMPT });
    for (const m of state.messages) {
      if (m instanceof HumanMessage)
        rt.put({ session, kind: 'user-message', body: messageText(m), source: 'langgraph' });
    }
    return {};
  };

  const agent = async (state: typeof TurnState.State) => {
    const task = [...state.messages].reverse().find((m) => m instanceof HumanMessage);
    const packed = await rt.pack(
      {
        session,
        task: task === undefined ? 'Answer the user.' : messageText(task),
        model: options.profile,
        budget: options.budget,
      },
      { mode: 'chat' },
    );
    const callId = packed.callId as BlockId;
    const reply = (await bound.invoke(
      toLangChainMessages(packed.chat?.messages ?? []),
    )) as AIMessage;
    const text = messageText(reply);
    const toolCalls: ToolCall[] = (reply.tool_calls ?? []).map((c, i) => ({
      id: c.id ?? `${callId}-${i}`,
      name: c.name,
      arguments: JSON.stringify(c.args),
    }));
    const stored = rt.put({
      session,
      kind: 'assistant-message',
      body:
        text.trim() !== ''
          ? text
          : `(calling ${toolCalls.map((c) => `${c.name}(${c.arguments})`).join(', ')})`,
      source: 'langgraph',
      ...(toolCalls.length === 0 ? {} : { toolCalls }),
    });
    await rt.recordOutput(
      callId,
      [text, ...toolCalls.map((c) => `[tool call] ${c.name}(${c.arguments})`)]
        .filter((s) => s !== '')
        .join('\n'),
      usageOf(reply),
    );
    // The tool node answers the calls by the ids the store holds.
    const message = new AIMessage({
      content: reply.content,
      tool_calls: toolCalls.map((c) => ({
        id: c.id,
        name: c.name,
        args: JSON.parse(c.arguments) as Record<string, unknown>,
        type: 'tool_call' as const,
      })),
    });
    return { messages: [message], callIds: [callId], assistantId: stored.block.id };
  };

  // Runs the calls, then stores each result paired with its call (one transaction).
  const tools = async (state: typeof TurnState.State) => {
    const out = (await toolNode.invoke({ messages: state.messages })) as {
      messages: BaseMessage[];
    };
    const results = out.messages.filter((m): m is ToolMessage => m instanceof ToolMessage);
    const assistant = state.assistantId;
    rt.store.transaction(() => {
      const puts: PutInput[] = results.map((r) => ({
        session,
        kind: 'tool-result',
        body: messageText(r).trim() === '' ? '(empty result)' : messageText(r),
        toolCallId: r.tool_call_id,
        source: `tool:${r.name ?? ''}`,
      }));
      const stored = rt.putMany(puts);
      if (assistant !== undefined)
        for (const s of stored) rt.addEdge(assistant, 'tool-invocation', s.block.id);
    });
    return { messages: results };
  };

  return new StateGraph(TurnState)
    .addNode('remember', remember)
    .addNode('agent', agent)
    .addNode('tools', tools)
    .addEdge(START, 'remember')
    .addEdge('remember', 'agent')
    .addConditionalEdges('agent', toolsCondition, ['tools', END])
    .addEdge('tools', 'agent')
    .compile();
}

/** What one turn did. */
export interface TurnResult {
  readonly reply: string;
  readonly callIds: readonly string[];
}

/** Runs one turn of the agent on a user message. */
export async function runTurn(
  graph: ReturnType<typeof buildAgent>,
  message: string,
): Promise<TurnResult> {
  const state = await graph.invoke(
    { messages: [new HumanMessage(message)] },
    { recursionLimit: 12 },
  );
  const last = state.messages.at(-1);
  return { reply: last === undefined ? '' : messageText(last), callIds: state.callIds };
}

function usageOf(reply: AIMessage): Usage | undefined {
  const u = reply.usage_metadata;
  return u === undefined
    ? undefined
    : {
        inputTokens: u.input_tokens,
        outputTokens: u.output_tokens,
        ...(u.input_token_details?.cache_read === undefined
          ? {}
          : { cachedInputTokens: u.input_token_details.cache_read }),
      };
}
