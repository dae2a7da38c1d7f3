// A store of 2,000 messages and 5 documents, built through the runtime for the What-if workbench
// spec: a support conversation (1,000 user and 1,000 assistant messages about many topics), five
// documents as chunks in the shared `docs` session, and one recorded turn asking about refunds,
// paged with spill off at a small budget. Background (document chunks) then holds far less than
// one long billing chunk, so that chunk is left out for `section-budget` whatever its score.
import { DEFAULT_CONFIG, openRuntime, type Config } from '../src-core/index';

export const WORKBENCH_SESSION = 'support-2000';
export const DOCS_SESSION = 'docs';
/** The recorded turn's input budget. */
export const WORKBENCH_BUDGET = 1500;
export const MESSAGES = 2000;

const TOPICS = [
  'login',
  'invoices',
  'shipping',
  'passwords',
  'exports',
  'webhooks',
  'themes',
  'teams',
  'notifications',
  'search',
];

/** The long chunk the turn cannot fit into Background (about 150 tokens). */
export const BILLING_CHUNK =
  'Billing policy, section 4: refunds. A customer may ask for a refund of an annual plan within 30 days of the charge; the refund covers the unused months at the monthly list price, less any discount already given. Refunds after 30 days are granted only when the service was unavailable for more than 24 hours in the billing month, and are paid as account credit rather than money back. Refunds go to the card that paid, within ten business days; a card that has expired gets a bank transfer once the customer confirms the account holder name and the IBAN in writing to the billing team.';

const DOCUMENTS: readonly { readonly name: string; readonly chunks: readonly string[] }[] = [
  {
    name: 'billing',
    chunks: [
      'Billing policy, section 1: plans are billed monthly or yearly in advance.',
      'Billing policy, section 2: invoices are emailed to the account owner on the first of the month.',
      'Billing policy, section 3: a failed card is retried three times over a week.',
      BILLING_CHUNK,
    ],
  },
  {
    name: 'security',
    chunks: [
      'Security guide: passwords need twelve characters.',
      'Security guide: two-factor codes expire after 30 seconds.',
      'Security guide: sessions end after 14 days without use.',
    ],
  },
  {
    name: 'shipping',
    chunks: [
      'Shipping guide: orders leave the warehouse within two days.',
      'Shipping guide: tracking numbers arrive by email.',
      'Shipping guide: returns are free within 14 days.',
    ],
  },
  {
    name: 'api',
    chunks: [
      'API guide: webhooks retry five times with backoff.',
      'API guide: exports are CSV or JSON.',
      'API guide: rate limits are 600 requests a minute.',
    ],
  },
  {
    name: 'teams',
    chunks: [
      'Teams guide: owners can invite up to 50 members.',
      'Teams guide: roles are owner, admin and member.',
      'Teams guide: removing a member keeps their work.',
    ],
  },
];

export interface WorkbenchStore {
  readonly dir: string;
  readonly call: string;
  readonly billingChunk: string;
}

/** Builds the store in `dir` (one recorded turn) and closes it. */
export async function buildWorkbenchStore(dir: string): Promise<WorkbenchStore> {
  const config: Config = {
    ...DEFAULT_CONFIG,
    pager: { ...DEFAULT_CONFIG.pager, spill: false, globalSessions: [DOCS_SESSION] },
  };
  const rt = openRuntime(dir, { config });
  const t0 = Date.UTC(2026, 10, 1);
  try {
    rt.put({
      session: WORKBENCH_SESSION,
      kind: 'system',
      body: 'You are the support assistant of a small software company.',
      createdAt: t0,
    });
    let billingChunk = '';
    for (const [d, doc] of DOCUMENTS.entries()) {
      const ids = rt.putMany(
        doc.chunks.map((body, i) => ({
          session: DOCS_SESSION,
          kind: 'document-chunk' as const,
          body,
          source: `doc:${doc.name}#${i + 1}`,
          createdAt: t0 + d * 10 + i,
        })),
      );
      if (doc.name === 'billing') billingChunk = ids[ids.length - 1]?.block.id ?? '';
    }
    rt.putMany(
      Array.from({ length: MESSAGES }, (_, i) => {
        const topic = TOPICS[Math.floor(i / 2) % TOPICS.length];
        const n = Math.floor(i / 2);
        return {
          session: WORKBENCH_SESSION,
          kind: i % 2 === 0 ? ('user-message' as const) : ('assistant-message' as const),
          body:
            i % 2 === 0
              ? `Question ${n}: how do ${topic} work for ticket ${n}?`
              : `Answer ${n}: ${topic} work as the guide says; ticket ${n} is closed.`,
          createdAt: t0 + 1000 + i * 60_000,
        };
      }),
    );
    rt.put({
      session: WORKBENCH_SESSION,
      kind: 'user-message',
      body: 'Can I get a refund on my annual plan after 40 days?',
      createdAt: t0 + 1000 + MESSAGES * 60_000,
    });
    const turn = await rt.pack({
      session: WORKBENCH_SESSION,
      task: 'Answer the customer: can they get a refund on an annual plan after 40 days?',
      budget: WORKBENCH_BUDGET,
      now: t0 + 1000 + (MESSAGES + 1) * 60_000,
    });
    return { dir, call: turn.callId ?? '', billingChunk };
  } finally {
    await rt.close();
  }
}
